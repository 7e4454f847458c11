package io.github.pyconcurrent.shared;

import java.time.Duration;

/**
 * Duration to the nanosecond timeouts of the mechanics, read as the threading package reads them
 * (Python has two readings): for {@code acquire(Duration)} a negative duration waits forever
 * ({@link #acquireNanos}); for every {@code waitFor(Duration)} a negative one does not wait
 * ({@link #waitNanos}). {@code null} is Python's {@code None}: forever. A century or more is forever.
 *
 * <p>And how every blocking wait of the package spends such a timeout ({@link #nextSlice}): on the
 * futex in slices of at most {@link SharedTuning#OWNER_CHECK_NANOS}, so that between two slices the
 * waiter can check for a dead owner (or for an interrupt) whatever its timeout.
 */
final class Timeouts {
    static final long FOREVER = -1;

    private Timeouts() {}

    static long acquireNanos(Duration timeout) {
        return timeout == null || timeout.isNegative() ? FOREVER : saturated(timeout);
    }

    static long waitNanos(Duration timeout) {
        if (timeout == null) {
            return FOREVER;
        }
        return timeout.isNegative() ? 0 : saturated(timeout);
    }

    /**
     * How long a waiter that began at {@code start} ({@link System#nanoTime()}) with
     * {@code timeoutNanos} (negative: forever) may sleep next: one owner-check slice, or what is
     * left of its timeout if less; 0 once the timeout has run out (never 0 before: a slice is at
     * least a millisecond). Called only on the slow path; allocation-free.
     */
    static long nextSlice(long start, long timeoutNanos) {
        if (timeoutNanos < 0) {
            return SharedTuning.OWNER_CHECK_NANOS;
        }
        long left = timeoutNanos - (System.nanoTime() - start);
        return left <= 0 ? 0 : Math.min(SharedTuning.OWNER_CHECK_NANOS, left);
    }

    private static long saturated(Duration d) {
        return d.getSeconds() >= 100L * 365 * 24 * 3600 ? FOREVER : d.toNanos();
    }
}
