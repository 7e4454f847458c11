package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.internal.Timeouts;

/**
 * How every blocking wait of this package spends a timeout (read by
 * {@link io.github.pyconcurrent.internal.Timeouts}): on the futex in slices of at most
 * {@link SharedTuning#OWNER_CHECK_NANOS}, so that between two slices the waiter can check for a
 * dead owner (or for an interrupt) whatever its timeout.
 */
final class WaitSlices {
    private WaitSlices() {}

    /**
     * How long a waiter that began at {@code start} ({@link System#nanoTime()}) with
     * {@code timeoutNanos} (negative, as {@link Timeouts#FOREVER}: forever) may sleep next: one
     * owner-check slice, or what is left of its timeout if less; 0 once the timeout has run out (never 0 before: a slice is at
     * least a millisecond). Called only on the slow path; allocation-free.
     */
    static long nextSlice(long start, long timeoutNanos) {
        if (timeoutNanos < 0) {
            return SharedTuning.OWNER_CHECK_NANOS;
        }
        long left = timeoutNanos - (System.nanoTime() - start);
        return left <= 0 ? 0 : Math.min(SharedTuning.OWNER_CHECK_NANOS, left);
    }
}
