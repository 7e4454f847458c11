package io.github.pyconcurrent.threading;

import io.github.pyconcurrent.internal.Timeouts;
import java.time.Duration;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * The blocking half of {@link Lock}'s and {@link RLock}'s acquires, once their inline fast path
 * (one CAS) has missed: queue on the lock's exclusive AQS with Python's timeout rules, and turn an
 * interrupt into {@link UncheckedInterruptedException} with the flag restored. Kept out of the
 * public methods so those stay small enough to inline.
 */
final class ExclusiveWaits {
    private ExclusiveWaits() {}

    /** Waits until {@code sync} is acquired (one unit). */
    static void acquire(AbstractQueuedSynchronizer sync) {
        try {
            sync.acquireInterruptibly(1);
        } catch (InterruptedException e) {
            throw UncheckedInterruptedException.restore(e);
        }
    }

    /**
     * Waits at most {@code timeout} (negative or {@code null}: forever; zero: not at all) for
     * {@code sync}; returns whether it was acquired.
     */
    static boolean acquire(AbstractQueuedSynchronizer sync, Duration timeout) {
        long nanos = Timeouts.acquireNanos(timeout);
        if (nanos == Timeouts.FOREVER) {
            acquire(sync);
            return true;
        }
        try {
            return nanos > 0 && sync.tryAcquireNanos(1, nanos);
        } catch (InterruptedException e) {
            throw UncheckedInterruptedException.restore(e);
        }
    }
}
