package io.github.pyconcurrent.threading;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A {@link Condition}, of this package or process-shared. Every method but {@code acquire},
 * {@code release} and {@code hold} requires the caller to hold the condition's lock and throws
 * {@link IllegalStateException} otherwise.
 */
public interface ConditionLike extends Acquirable {
    /**
     * Releases the lock, waits for a notification, re-acquires; returns {@code true}.
     *
     * @return {@code true}
     * @throws IllegalStateException if the calling thread does not hold the lock
     * @throws UncheckedInterruptedException if the calling thread is interrupted while it waits
     */
    boolean waitFor();

    /**
     * As {@link #waitFor()}, at most {@code timeout}; returns {@code false} on timeout. A negative
     * timeout does not wait (the lock is still released and re-acquired); {@code null} waits
     * forever (Python's {@code None}).
     *
     * @param timeout how long to wait at most; {@code null} waits for ever, negative not at all
     * @return {@code false} if the timeout elapsed first, else {@code true}
     * @throws IllegalStateException if the calling thread does not hold the lock
     * @throws UncheckedInterruptedException if the calling thread is interrupted while it waits
     */
    boolean waitFor(Duration timeout);

    /**
     * Waits until {@code predicate} is true, re-checking after each notification; returns the
     * predicate's last value ({@code false} if the timeout elapsed first). Python's
     * {@code wait_for}.
     *
     * @param predicate the condition to wait for, checked with the lock held
     * @param timeout how long to wait at most; {@code null} waits for ever
     * @return the predicate's last value
     * @throws IllegalStateException if the calling thread does not hold the lock
     * @throws UncheckedInterruptedException if the calling thread is interrupted while it waits
     */
    boolean waitUntil(BooleanSupplier predicate, Duration timeout);

    /**
     * {@link #waitUntil(BooleanSupplier, Duration)} with no timeout; returns {@code true}.
     *
     * @param predicate the condition to wait for, checked with the lock held
     * @return {@code true}
     * @throws IllegalStateException if the calling thread does not hold the lock
     * @throws UncheckedInterruptedException if the calling thread is interrupted while it waits
     */
    boolean waitUntil(BooleanSupplier predicate);

    /** Wakes one waiter, if any. */
    void notifyOne();

    /**
     * Wakes at most {@code n} waiters.
     *
     * @param n the most waiters to wake
     * @throws IllegalStateException if the calling thread does not hold the lock
     */
    void notify(int n);

    /** Wakes every waiter. Python's {@code notify_all}. */
    void notifyAllWaiters();
}
