package io.github.pyconcurrent.threading;

import io.github.pyconcurrent.internal.Timeouts;
import java.time.Duration;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * A counting semaphore: Python's {@code threading.Semaphore}.
 *
 * <p>It holds a count of permits. {@link #acquire()} blocks until the count is positive and then
 * decrements it; {@link #release()} increments it and lets a blocked acquirer proceed;
 * {@link #release(int)} adds {@code n} permits at once. Any thread may release, and releases may
 * exceed the initial value (use {@link BoundedSemaphore} to forbid that).
 *
 * <pre>{@code
 * Semaphore slots = new Semaphore(3);          // at most three at a time
 * try (var permit = slots.hold()) {            // Python: with slots:
 *     download(url);
 * }
 * }</pre>
 *
 * <p>Not fair (CPython's is not strictly FIFO either): a permit that is free may be taken by a
 * thread arriving now, ahead of queued ones, which keeps the uncontended path a single CAS.
 *
 * <p><b>Timeouts and interrupts</b> are as for {@link Lock}.
 *
 * <p><b>Memory consistency effects:</b> actions before a {@code release} happen-before actions
 * after a successful {@code acquire} that took a permit it released, as for
 * {@link java.util.concurrent.Semaphore}.
 *
 * <p><b>Differences from Python:</b> a negative initial value throws
 * {@link IllegalArgumentException} (Python's {@code ValueError}); so does {@code release(n)} with
 * {@code n < 1}; a count that would exceed {@code Integer.MAX_VALUE} throws
 * {@link IllegalStateException}.
 */
public class Semaphore implements SemaphoreLike {

    /** State = number of free permits, never negative. */
    static final class Sync extends AbstractQueuedSynchronizer {
        private static final long serialVersionUID = 1L;

        /** The largest permitted count, or -1 for none (a plain Semaphore). */
        private final int bound;

        Sync(int permits, int bound) {
            this.bound = bound;
            setState(permits);
        }

        @Override
        protected int tryAcquireShared(int n) {
            for (;;) {
                int available = getState();
                int remaining = available - n;
                if (remaining < 0 || compareAndSetState(available, remaining)) {
                    return remaining;
                }
            }
        }

        @Override
        protected boolean tryReleaseShared(int n) {
            for (;;) {
                int current = getState();
                int next = current + n;
                if (bound >= 0 && (next > bound || next < 0)) {
                    // Checked in the same CAS loop that adds, so two threads over-releasing at
                    // once cannot both slip past the bound.
                    throw new IllegalArgumentException("Semaphore released too many times");
                }
                if (next < 0) {
                    throw new IllegalStateException("Semaphore count overflow");
                }
                if (compareAndSetState(current, next)) {
                    return true;
                }
            }
        }

        int permits() {
            return getState();
        }
    }

    private final Sync sync;

    /** Creates a semaphore with one permit (Python's default). */
    public Semaphore() {
        this(1);
    }

    /**
     * Creates a semaphore with {@code value} permits; a negative value throws {@link IllegalArgumentException}.
     *
     * @param value the number of permits at the start
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public Semaphore(int value) {
        this(value, -1);
    }

    Semaphore(int value, int bound) {
        if (value < 0) {
            throw new IllegalArgumentException("semaphore initial value must be >= 0: " + value);
        }
        this.sync = new Sync(value, bound);
    }

    /** Blocks until a permit is available and takes it; returns {@code true}. */
    @Override
    public boolean acquire() {
        if (sync.tryAcquireShared(1) < 0) {
            try {
                sync.acquireSharedInterruptibly(1);
            } catch (InterruptedException e) {
                throw UncheckedInterruptedException.restore(e);
            }
        }
        return true;
    }

    /** With {@code blocking} {@code false}, takes a permit only if one is free now; returns whether it did. */
    @Override
    public boolean acquire(boolean blocking) {
        return blocking ? acquire() : sync.tryAcquireShared(1) >= 0;
    }

    /** Waits at most {@code timeout} (negative or {@code null}: forever) for a permit; returns whether it got one. */
    @Override
    public boolean acquire(Duration timeout) {
        if (sync.tryAcquireShared(1) >= 0) {
            return true;
        }
        long nanos = Timeouts.acquireNanos(timeout);
        if (nanos == Timeouts.FOREVER) {
            return acquire();
        }
        try {
            return nanos > 0 && sync.tryAcquireSharedNanos(1, nanos);
        } catch (InterruptedException e) {
            throw UncheckedInterruptedException.restore(e);
        }
    }

    /** Adds a permit, waking one waiter if any. */
    @Override
    public void release() {
        sync.releaseShared(1);
    }

    /** Adds {@code n} permits at once, waking up to {@code n} waiters; {@code n < 1} throws {@link IllegalArgumentException}. */
    @Override
    public void release(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be one or more: " + n);
        }
        sync.releaseShared(n);
    }

    /**
     * The number of free permits now (Python's private {@code _value}); for monitoring only.
     *
     * @return the number of free permits now
     */
    public int availablePermits() {
        return sync.permits();
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + " value=" + sync.permits() + ">";
    }
}
