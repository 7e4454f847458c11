package io.github.pyconcurrent.threading;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A {@link Condition}, of this package or process-shared. Every method but {@code acquire},
 * {@code release} and {@code hold} requires the caller to hold the condition's lock and throws
 * {@link IllegalStateException} otherwise.
 */
public interface ConditionLike extends Acquirable {
    /** Releases the lock, waits for a notification, re-acquires; returns {@code true}. */
    boolean waitFor();

    /**
     * As {@link #waitFor()}, at most {@code timeout}; returns {@code false} on timeout. A negative
     * timeout does not wait (the lock is still released and re-acquired); {@code null} waits
     * forever (Python's {@code None}).
     */
    boolean waitFor(Duration timeout);

    /**
     * Waits until {@code predicate} is true, re-checking after each notification; returns the
     * predicate's last value ({@code false} if the timeout elapsed first). Python's
     * {@code wait_for}.
     */
    boolean waitUntil(BooleanSupplier predicate, Duration timeout);

    /** {@link #waitUntil(BooleanSupplier, Duration)} with no timeout; returns {@code true}. */
    boolean waitUntil(BooleanSupplier predicate);

    /** Wakes one waiter, if any. */
    void notifyOne();

    /** Wakes at most {@code n} waiters. */
    void notify(int n);

    /** Wakes every waiter. Python's {@code notify_all}. */
    void notifyAllWaiters();
}
