package io.github.pyconcurrent.shared;

import java.time.Duration;

/**
 * Duration to the nanosecond timeouts of the mechanics, read as the threading package reads them
 * (Python has two readings): for {@code acquire(Duration)} a negative duration waits forever
 * ({@link #acquireNanos}); for every {@code waitFor(Duration)} a negative one does not wait
 * ({@link #waitNanos}). {@code null} is Python's {@code None}: forever. A century or more is forever.
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

    private static long saturated(Duration d) {
        return d.getSeconds() >= 100L * 365 * 24 * 3600 ? FOREVER : d.toNanos();
    }
}
