package io.github.pyconcurrent.shared;

import java.time.Duration;

/** Duration to the nanosecond timeouts of the mechanics: negative means forever, huge saturates. */
final class Timeouts {
    static final long FOREVER = -1;

    private Timeouts() {}

    static long nanos(Duration timeout) {
        if (timeout.isNegative()) {
            return FOREVER;
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return FOREVER;
        }
    }
}
