package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WaitStrategyTest {
    private static final long HOUR = 3_600_000_000_000L;

    @Test
    void parkNeverIdlesBeforeSleeping() {
        WaitStrategy park = new WaitStrategy(WaitStrategy.Kind.PARK, HOUR, HOUR);
        assertFalse(park.idle(System.nanoTime(), -1));
        assertEquals(0, park.spinNanos + park.yieldNanos);
    }

    @Test
    void backoffSpinsThenYieldsWithinItsBudget() {
        WaitStrategy spinning = new WaitStrategy(WaitStrategy.Kind.BACKOFF, HOUR, 0);
        assertTrue(spinning.idle(System.nanoTime(), -1));
        WaitStrategy yielding = new WaitStrategy(WaitStrategy.Kind.BACKOFF, 0, HOUR);
        assertTrue(yielding.idle(System.nanoTime(), -1));
    }

    @Test
    void backoffParksOncePastSpinAndYield() {
        WaitStrategy backoff = new WaitStrategy(WaitStrategy.Kind.BACKOFF, 1_000, 1_000);
        assertFalse(backoff.idle(System.nanoTime() - HOUR, -1));
    }

    @Test
    void aCallersTimeoutEndsTheIdlingEarly() {
        WaitStrategy backoff = new WaitStrategy(WaitStrategy.Kind.BACKOFF, HOUR, HOUR);
        assertFalse(backoff.idle(System.nanoTime(), 0));
    }

    @Test
    void theDefaultIsBackoffUnlessConfigured() {
        if (System.getProperty("pyconcurrent.wait.strategy") == null) {
            assertEquals(WaitStrategy.Kind.BACKOFF, WaitStrategy.DEFAULT.kind);
        }
    }
}
