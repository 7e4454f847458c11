package io.github.pyconcurrent.futures;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Test helpers that wait for a state, not for a guessed time. */
final class Waits {
    private Waits() {}

    /**
     * Returns once {@code thread} is parked (WAITING or TIMED_WAITING), or {@code orElse} holds:
     * JSR-166's waitForThreadToEnterWaitingState, polling with yields as it does.
     */
    static void untilBlocked(Thread thread, BooleanSupplier orElse) {
        while (!orElse.getAsBoolean()) {
            Thread.State s = thread.getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.TERMINATED) {
                return;
            }
            Thread.yield();
        }
    }

    /** Returns once {@link System#nanoTime()} has reached {@code deadline}: for a test whose point is that a deadline passed. */
    static void untilClock(long deadline) {
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }
}
