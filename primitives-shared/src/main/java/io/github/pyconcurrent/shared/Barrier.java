package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.shared.internal.SharedMemoryLayout;
import io.github.pyconcurrent.threading.BarrierLike;
import io.github.pyconcurrent.threading.BrokenBarrierError;
import io.github.pyconcurrent.threading.Held;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.io.NotSerializableException;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;

/**
 * A barrier for a fixed number of parties in any processes: Python's
 * {@code multiprocessing.Barrier}, with the methods of {@code threading.Barrier} ({@code wait}
 * is {@code waitFor}).
 *
 * <pre>{@code
 * Barrier start = new Barrier(3);
 * // in each of three processes (or threads):
 * int index = start.waitFor();    // 0..2; all return once the third arrives
 * }</pre>
 *
 * <p>The algorithm is Python's (filling, draining, resetting, broken states guarded by a
 * condition), with the state in shared memory ({@link BarrierLayout}) and the barrier's lock and
 * condition process-shared. The action runs in the JVM of the last party to arrive; for it to run
 * there it travels with the barrier's handle, so a barrier with an action is serializable only if
 * the action is {@link Serializable} (a serializable lambda is). A timed-out wait breaks the
 * barrier ({@link BrokenBarrierError}), as in Python; a party whose process dies never arrives,
 * so the others need a timeout to notice it.
 *
 * <p>Serializable as a handle to the same shared barrier.
 */
// "try": try (Held held = lock.hold()) is Python's with; the resource is the holding itself, never referenced.
@SuppressWarnings("try")
public final class Barrier extends SegmentPrimitive implements BarrierLike, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient Lock lock;
    private final transient Condition condition;
    private final transient Runnable action;
    private final transient Duration timeout;

    /**
     * A barrier for {@code parties} parties (at least 1).
     *
     * @param parties the number of parties that must call {@code waitFor} to pass, in any processes
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties) {
        this(parties, null, null);
    }

    /**
     * A barrier whose last arriver runs {@code action} before the others are released.
     *
     * @param parties the number of parties that must call {@code waitFor} to pass, in any processes
     * @param action run by the last arriver before the others are released; may be null
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties, Runnable action) {
        this(parties, action, null);
    }

    /**
     * As {@link #Barrier(int, Runnable)}, with a default timeout for {@link #waitFor()}.
     *
     * @param parties the number of parties that must call {@code waitFor} to pass, in any processes
     * @param action run by the last arriver before the others are released; may be null
     * @param timeout the default timeout of {@code waitFor()}; null for none
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties, Runnable action, Duration timeout) {
        this(SharedMemory.createAnonymous("barrier", BarrierLayout.SIZE), SharedMemoryLayout.HEADER_SIZE, action, timeout);
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be >= 1");
        }
        buf.putInt(base + BarrierLayout.PARTIES, parties);
        // The lock's release (volatile) publishes the initial state to every later user.
        lock.acquire();
        lock.release();
    }

    Barrier(SharedMemory shm, int base, Runnable action, Duration timeout) {
        super(shm, base);
        this.lock = new Lock(shm, base + BarrierLayout.LOCK);
        this.condition = new Condition(shm, base + BarrierLayout.CONDITION, lock);
        this.action = action;
        this.timeout = timeout;
    }

    @Override
    public int waitFor() {
        return waitFor(null);
    }

    /**
     * Waits for every party, at most {@code timeout} ({@code null}: the default timeout); returns
     * the arrival index. A timeout breaks the barrier and throws {@link BrokenBarrierError}.
     */
    @Override
    public int waitFor(Duration timeout) {
        Duration t = timeout == null ? this.timeout : timeout;
        try (Held held = lock.hold()) {
            enter();
            int index = count();
            setCount(index + 1);
            try {
                if (index + 1 == parties()) {
                    releaseAll();
                } else {
                    awaitRelease(t);
                }
                return index;
            } finally {
                setCount(count() - 1);
                exit();
            }
        }
    }

    /** Blocks while the barrier drains or resets; a broken barrier throws. */
    private void enter() {
        while (state() == BarrierLayout.DRAINING || state() == BarrierLayout.RESETTING) {
            condition.waitFor();
        }
        if (state() < 0) {
            throw new BrokenBarrierError();
        }
    }

    /** The last arriver: run the action, then release everyone. */
    private void releaseAll() {
        try {
            if (action != null) {
                action.run();
            }
            setState(BarrierLayout.DRAINING);
            condition.notifyAllWaiters();
        } catch (RuntimeException | Error e) {
            breakBarrier();
            throw e;
        }
    }

    private void awaitRelease(Duration timeout) {
        boolean released;
        try {
            released = condition.waitUntil(() -> state() != BarrierLayout.FILLING, timeout);
        } catch (UncheckedInterruptedException e) {
            breakBarrier();
            throw e;
        }
        if (!released) {
            breakBarrier();
            throw new BrokenBarrierError("timed out waiting at the barrier");
        }
        if (state() < 0) {
            throw new BrokenBarrierError();
        }
    }

    /** The last party out of a draining or resetting barrier refills it. */
    private void exit() {
        if (count() == 0 && (state() == BarrierLayout.RESETTING || state() == BarrierLayout.DRAINING)) {
            setState(BarrierLayout.FILLING);
            condition.notifyAllWaiters();
        }
    }

    @Override
    public void reset() {
        try (Held held = lock.hold()) {
            if (count() > 0) {
                if (state() == BarrierLayout.FILLING || state() == BarrierLayout.BROKEN) {
                    setState(BarrierLayout.RESETTING);
                }
            } else {
                setState(BarrierLayout.FILLING);
            }
            condition.notifyAllWaiters();
        }
    }

    @Override
    public void abort() {
        try (Held held = lock.hold()) {
            breakBarrier();
        }
    }

    private void breakBarrier() {
        setState(BarrierLayout.BROKEN);
        condition.notifyAllWaiters();
    }

    @Override
    public boolean isBroken() {
        try (Held held = lock.hold()) {
            return state() == BarrierLayout.BROKEN;
        }
    }

    @Override
    public int parties() {
        return buf.getInt(base + BarrierLayout.PARTIES);
    }

    @Override
    public int nWaiting() {
        try (Held held = lock.hold()) {
            return state() == BarrierLayout.FILLING ? count() : 0;
        }
    }

    // Plain accesses: every caller holds the barrier's lock, whose CAS/swap order them.
    private int state() {
        return buf.getInt(base + BarrierLayout.STATE);
    }

    private void setState(int s) {
        buf.putInt(base + BarrierLayout.STATE, s);
    }

    private int count() {
        return buf.getInt(base + BarrierLayout.COUNT);
    }

    private void setCount(int c) {
        buf.putInt(base + BarrierLayout.COUNT, c);
    }

    @Override
    public String toString() {
        return "shared.Barrier[parties=" + parties() + ", waiting=" + nWaiting() + (isBroken() ? ", broken" : "") + "]";
    }

    /**
     * Travels as a handle to the same shared barrier (with its action, which must be serializable).
     *
     * @return the handle that is serialized in this barrier's place
     * @throws ObjectStreamException if the action is not serializable
     */
    @Override
    @Serial
    Object writeReplace() throws ObjectStreamException {
        if (action != null && !(action instanceof Serializable)) {
            throw new NotSerializableException("a Barrier's action must be Serializable for the barrier to travel: "
                    + action.getClass().getName());
        }
        return new Handle(shm.name(), base, (Serializable) action, timeout);
    }

    private record Handle(String segment, int base, Serializable action, Duration timeout) implements Serializable {
        @Serial
        private Object readResolve() {
            return new Barrier(SharedMemory.open(segment), base, (Runnable) action, timeout);
        }
    }
}
