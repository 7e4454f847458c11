package io.github.pyconcurrent.threading;

import io.github.pyconcurrent.internal.Timeouts;
import java.time.Duration;

/**
 * A cyclic barrier for a fixed number of threads: Python's {@code threading.Barrier}.
 *
 * <p>Each of {@code parties} threads calls {@link #waitFor()}; all block until the last one
 * arrives, then all are released together and the barrier is ready for the next cycle. Each
 * caller gets its arrival index, {@code 0} to {@code parties - 1}, distinct within a cycle, so
 * that exactly one of them can be picked for some extra work. An optional {@code action} is run
 * once per cycle, by the last thread to arrive, before any thread is released.
 *
 * <pre>{@code
 * Barrier barrier = new Barrier(3, null, Duration.ofSeconds(10));
 * // in each of the three workers:
 * prepare();
 * if (barrier.waitFor() == 0) {
 *     System.out.println("all three are ready");
 * }
 * }</pre>
 *
 * <p><b>Breaking.</b> The barrier <em>breaks</em> when {@link #abort()} is called, when a wait
 * times out, when the action throws, or when a waiting thread is interrupted: every thread
 * waiting then, and every later {@code waitFor}, throws {@link BrokenBarrierError} until
 * {@link #reset()}. A timed-out wait breaks the barrier and throws {@code BrokenBarrierError}
 * too (as in Python). {@code reset()} while threads are waiting makes them throw
 * {@code BrokenBarrierError}.
 *
 * <p><b>Timeouts.</b> The constructor's timeout is the default for {@link #waitFor()};
 * {@code waitFor(null)} also uses it. A negative timeout expires at once (Python); no default
 * timeout means wait forever.
 *
 * <p><b>Memory consistency effects:</b> actions before {@code waitFor} in each thread
 * happen-before the action, which happens-before actions after every thread's {@code waitFor}
 * returns.
 *
 * <p><b>Differences from Python:</b> the action's exception (unchecked) is rethrown to the last
 * arriver, and the barrier breaks; an interrupt while waiting breaks the barrier (as
 * {@link java.util.concurrent.CyclicBarrier}) and throws {@link UncheckedInterruptedException} in
 * the interrupted thread. Python's {@code n_waiting} and {@code broken} are {@link #nWaiting()}
 * and {@link #isBroken()}.
 */
// "try": try (var held = lock.hold()) is Python's with; the resource is the holding itself, never referenced.
@SuppressWarnings("try")
public class Barrier implements BarrierLike {

    // The states of CPython's Barrier, with its names.
    private static final int FILLING = 0;
    private static final int DRAINING = 1;
    private static final int RESETTING = -1;
    private static final int BROKEN = -2;

    private final Condition cond = new Condition(new Lock());
    private final int parties;
    private final Runnable action;
    private final Duration timeout;

    /** FILLING, DRAINING, RESETTING or BROKEN. Guarded by cond's lock. */
    private int state = FILLING;
    /** Threads inside waitFor (arrived, not yet left). Guarded by cond's lock. */
    private int count;

    /**
     * A barrier for {@code parties} threads, without action or default timeout.
     *
     * @param parties the number of threads that must call {@code waitFor} to pass
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties) {
        this(parties, null, null);
    }

    /**
     * A barrier for {@code parties} threads; {@code action} (may be null) runs once per cycle.
     *
     * @param parties the number of threads that must call {@code waitFor} to pass
     * @param action run by one of the threads when all have arrived, before any is released; may be null
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties, Runnable action) {
        this(parties, action, null);
    }

    /**
     * A barrier for {@code parties} threads; {@code action} (may be null) runs once per cycle;
     * {@code timeout} (may be null: none) is the default for {@link #waitFor()}.
     * {@code parties < 1} throws {@link IllegalArgumentException}.
     *
     * @param parties the number of threads that must call {@code waitFor} to pass
     * @param action run by one of the threads when all have arrived, before any is released; may be null
     * @param timeout the default timeout of {@code waitFor()}; null for none
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties, Runnable action, Duration timeout) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be >= 1: " + parties);
        }
        this.parties = parties;
        this.action = action;
        this.timeout = timeout;
    }

    /** Waits for every party, with the default timeout; returns the arrival index. */
    @Override
    public int waitFor() {
        return waitFor(null);
    }

    /**
     * Waits for every party, at most {@code timeout} ({@code null}: the default timeout);
     * returns the arrival index, 0 to {@code parties() - 1}. Throws {@link BrokenBarrierError} if
     * the barrier is broken, or breaks while waiting, or the timeout elapses (which breaks it).
     */
    @Override
    public int waitFor(Duration timeout) {
        Duration t = timeout == null ? this.timeout : timeout;
        try (Held held = cond.hold()) {
            enter();
            int index = count++;
            try {
                if (index + 1 == parties) {
                    releaseAll();
                } else {
                    await(t);
                }
                return index;
            } finally {
                count--;
                exit();
            }
        }
    }

    /** Blocks while a previous cycle drains or a reset is under way. */
    private void enter() {
        while (state == DRAINING || state == RESETTING) {
            cond.waitFor();
        }
        if (state < 0) {
            throw new BrokenBarrierError();
        }
    }

    /** The last arriver: run the action, then let everyone go. */
    private void releaseAll() {
        try {
            if (action != null) {
                action.run();
            }
            state = DRAINING;
            cond.notifyAllWaiters();
        } catch (RuntimeException | Error e) {
            breakBarrier();
            throw e;
        }
    }

    private void await(Duration t) {
        boolean released;
        try {
            released = cond.waitUntil(() -> state != FILLING, t);
        } catch (UncheckedInterruptedException e) {
            breakBarrier();
            throw e;
        }
        if (!released) {
            breakBarrier();
            throw new BrokenBarrierError("timed out");
        }
        if (state < 0) {
            throw new BrokenBarrierError();
        }
    }

    /** The last one out of a draining or resetting barrier re-opens it. */
    private void exit() {
        if (count == 0 && (state == RESETTING || state == DRAINING)) {
            state = FILLING;
            cond.notifyAllWaiters();
        }
    }

    /**
     * Returns the barrier to its initial, unbroken state. Threads waiting in it now get
     * {@link BrokenBarrierError}.
     */
    @Override
    public void reset() {
        try (Held held = cond.hold()) {
            if (count > 0) {
                if (state == FILLING || state == BROKEN) {
                    state = RESETTING;
                }
                // DRAINING: the last one out sets FILLING anyway; RESETTING: already under way.
            } else {
                state = FILLING;
            }
            cond.notifyAllWaiters();
        }
    }

    /** Breaks the barrier: waiting and future {@code waitFor} calls throw {@link BrokenBarrierError}. */
    @Override
    public void abort() {
        try (Held held = cond.hold()) {
            breakBarrier();
        }
    }

    private void breakBarrier() {
        state = BROKEN;
        cond.notifyAllWaiters();
    }

    /** Returns whether the barrier is broken. */
    @Override
    public boolean isBroken() {
        try (Held held = cond.hold()) {
            return state == BROKEN;
        }
    }

    /** The number of threads needed to pass the barrier. */
    @Override
    public int parties() {
        return parties;
    }

    /** The number of threads waiting in the current cycle. */
    @Override
    public int nWaiting() {
        try (Held held = cond.hold()) {
            return state == FILLING ? count : 0;
        }
    }

    @Override
    public String toString() {
        return "<Barrier parties=" + parties + " waiting=" + nWaiting() + " broken=" + isBroken() + ">";
    }
}
