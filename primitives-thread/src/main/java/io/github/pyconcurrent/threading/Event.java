package io.github.pyconcurrent.threading;

import io.github.pyconcurrent.internal.Timeouts;
import java.time.Duration;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * A flag that threads wait for: Python's {@code threading.Event}.
 *
 * <p>{@link #set()} raises the flag and wakes every waiter; {@link #clear()} lowers it;
 * {@link #waitFor()} returns at once if the flag is up, else blocks until a {@code set()}.
 *
 * <pre>{@code
 * Event ready = new Event();
 * new Thread(() -> { load(); ready.set(); }).start();
 * if (!ready.waitFor(Duration.ofSeconds(5))) {   // Python: ready.wait(5)
 *     throw new IllegalStateException("not ready in time");
 * }
 * }</pre>
 *
 * <p>A waiter that was blocked when {@code set()} ran returns {@code true} even if the flag was
 * cleared again before it got to run: each {@code set()} of a lowered flag starts a new
 * <em>generation</em>, and a waiter returns when the flag is up or the generation it saw has
 * passed. (Python guarantees the same through its condition variable.) {@link #isSet()} and a
 * {@code waitFor} on a set event cost one volatile read.
 *
 * <p><b>Timeouts and interrupts.</b> {@code waitFor(Duration)} returns {@code false} if the flag
 * was not set in time; a negative duration does not wait, {@code null} waits forever (Python's
 * {@code None}). An interrupt while blocked throws {@link UncheckedInterruptedException} with the
 * flag restored.
 *
 * <p><b>Memory consistency effects:</b> actions before {@code set()} happen-before actions after a
 * {@code waitFor} or {@code isSet} that observes it.
 */
public class Event implements EventLike {

    /**
     * State: bit 0 = the flag; bits 1..31 = the generation, bumped by every set() of a lowered
     * flag (wrapping after 2^31 sets, far beyond any one wait). A waiter passes the state's
     * generation it saw as the acquire argument; it succeeds when the flag is up or the
     * generation moved on. The AQS queue gives timeouts, interrupts and cancellation; its shared
     * mode propagates a set() through every queued waiter.
     */
    private static final class Sync extends AbstractQueuedSynchronizer {
        private static final long serialVersionUID = 1L;

        @Override
        protected int tryAcquireShared(int seenGeneration) {
            int s = getState();
            return ((s & 1) != 0 || (s >>> 1) != seenGeneration) ? 1 : -1;
        }

        /** Raises the flag in a new generation; returns false if it was already up. */
        @Override
        protected boolean tryReleaseShared(int ignored) {
            for (;;) {
                int s = getState();
                if ((s & 1) != 0) {
                    return false;
                }
                if (compareAndSetState(s, (s + 2) | 1)) {
                    return true;
                }
            }
        }

        void lower() {
            for (;;) {
                int s = getState();
                if ((s & 1) == 0 || compareAndSetState(s, s & ~1)) {
                    return;
                }
            }
        }

        int state() {
            return getState();
        }
    }

    private final Sync sync = new Sync();

    /** Creates an event whose flag is down. */
    public Event() {}

    /** Raises the flag and wakes every thread waiting for it. */
    @Override
    public void set() {
        if ((sync.state() & 1) == 0) {
            sync.releaseShared(0);
        }
    }

    /** Lowers the flag; later waiters block until the next {@link #set()}. */
    @Override
    public void clear() {
        sync.lower();
    }

    /** Returns whether the flag is up. */
    @Override
    public boolean isSet() {
        return (sync.state() & 1) != 0;
    }

    /** Blocks until the flag is set; returns {@code true}. */
    @Override
    public boolean waitFor() {
        int s = sync.state();
        if ((s & 1) == 0) {
            try {
                sync.acquireSharedInterruptibly(s >>> 1);
            } catch (InterruptedException e) {
                throw UncheckedInterruptedException.restore(e);
            }
        }
        return true;
    }

    /**
     * Waits at most {@code timeout} (negative: not at all; {@code null}: forever) for the flag;
     * returns {@code true} if it was up or was set while waiting, {@code false} on timeout.
     */
    @Override
    public boolean waitFor(Duration timeout) {
        int s = sync.state();
        if ((s & 1) != 0) {
            return true;
        }
        long nanos = Timeouts.waitNanos(timeout);
        if (nanos == Timeouts.FOREVER) {
            return waitFor();
        }
        try {
            return nanos > 0 && sync.tryAcquireSharedNanos(s >>> 1, nanos);
        } catch (InterruptedException e) {
            throw UncheckedInterruptedException.restore(e);
        }
    }

    @Override
    public String toString() {
        return "<Event " + (isSet() ? "set" : "unset") + ">";
    }
}
