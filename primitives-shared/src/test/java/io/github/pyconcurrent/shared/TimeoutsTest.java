package io.github.pyconcurrent.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.internal.Timeouts;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The two readings of a Duration timeout, and the slices every blocking wait sleeps in. */
class TimeoutsTest {

    /** acquire(Duration): negative or null waits forever; waitFor(Duration): negative does not wait. */
    @Test
    void acquireAndWaitReadNegativeDurationsAsPythonDoes() {
        assertEquals(Timeouts.FOREVER, Timeouts.acquireNanos(Duration.ofMillis(-1)));
        assertEquals(Timeouts.FOREVER, Timeouts.acquireNanos(null));
        assertEquals(0, Timeouts.waitNanos(Duration.ofMillis(-1)));
        assertEquals(Timeouts.FOREVER, Timeouts.waitNanos(null));
        assertEquals(1_500_000, Timeouts.acquireNanos(Duration.ofNanos(1_500_000)));
        assertEquals(Timeouts.FOREVER, Timeouts.waitNanos(Duration.ofDays(365L * 100)));
    }

    /** Waiting forever sleeps a whole owner-check slice at a time, however long it has waited. */
    @Test
    void aWaitWithoutTimeoutSleepsWholeSlices() {
        assertEquals(SharedTuning.OWNER_CHECK_NANOS, WaitSlices.nextSlice(System.nanoTime(), Timeouts.FOREVER));
        assertEquals(SharedTuning.OWNER_CHECK_NANOS,
                WaitSlices.nextSlice(System.nanoTime() - Duration.ofHours(1).toNanos(), Timeouts.FOREVER));
    }

    /** A timed wait sleeps at most a slice, never past its deadline, and 0 once the deadline has passed. */
    @Test
    void aTimedWaitSleepsAtMostWhatIsLeft() {
        long start = System.nanoTime();
        assertEquals(SharedTuning.OWNER_CHECK_NANOS, WaitSlices.nextSlice(start, Duration.ofDays(1).toNanos()));
        long tiny = WaitSlices.nextSlice(start, 1_000);
        assertTrue(tiny >= 0 && tiny <= 1_000, "slice " + tiny);
        assertEquals(0, WaitSlices.nextSlice(System.nanoTime() - Duration.ofSeconds(2).toNanos(), Duration.ofSeconds(1).toNanos()));
    }
}
