package io.github.pyconcurrent.internal;

import java.time.Duration;

/**
 * Converts this API's {@link Duration} timeouts to nanoseconds, in one place, so every primitive
 * reads them the same way.
 *
 * <p>Two readings exist because Python has two: {@code acquire(timeout=-1)} means "forever", so
 * for {@code acquire(Duration)} a negative duration waits forever ({@link #acquireNanos}); every
 * {@code wait(timeout)} treats a negative timeout as "do not wait" ({@link #waitNanos}). In both, a
 * {@code null} duration is Python's {@code None}: wait forever.
 *
 * <p>Not API: public so that the threading, shared, gevent and socketserver packages read
 * timeouts with one class.
 */
public final class Timeouts {
    /** Returned for "wait forever". */
    public static final long FOREVER = -1L;

    private Timeouts() {}

    /**
     * For {@code acquire(Duration)}: {@code null} or negative -> {@link #FOREVER}; else nanos (a century or more -> {@link #FOREVER}).
     *
     * @param timeout an acquire's timeout, may be null
     * @return nanoseconds to wait, or {@code FOREVER}
     */
    public static long acquireNanos(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            return FOREVER;
        }
        return saturatedNanos(timeout);
    }

    /**
     * For {@code waitFor(Duration)}: {@code null} -> {@link #FOREVER}; negative -> 0; else nanos (a century or more -> {@link #FOREVER}).
     *
     * @param timeout a wait's timeout, may be null
     * @return nanoseconds to wait (0: do not wait), or {@code FOREVER}
     */
    public static long waitNanos(Duration timeout) {
        if (timeout == null) {
            return FOREVER;
        }
        if (timeout.isNegative()) {
            return 0L;
        }
        return saturatedNanos(timeout);
    }

    /**
     * For a poll interval or a deadline ({@code System.nanoTime() + boundedNanos(d)}): negative
     * -> 0; a duration too long for a {@code long} of nanoseconds -> {@code Long.MAX_VALUE / 4},
     * which never comes and leaves room for the addition. {@code d} must not be null.
     *
     * @param d the duration, not null
     * @return nanoseconds, from 0 to {@code Long.MAX_VALUE / 4}
     */
    public static long boundedNanos(Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    private static long saturatedNanos(Duration d) {
        // Durations beyond ~100 years would overflow deadline arithmetic; they mean "forever".
        if (d.getSeconds() >= 100L * 365 * 24 * 3600) {
            return FOREVER;
        }
        return d.toNanos();
    }
}
