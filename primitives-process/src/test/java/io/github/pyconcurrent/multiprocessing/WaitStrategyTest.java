package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

    @Test
    void aSiteStopsSpinningOnceAWaitOutlastedItsSpinAndProbesNowAndThen() {
        WaitStrategy.Site site = new WaitStrategy.Site(new WaitStrategy(WaitStrategy.Kind.BACKOFF, HOUR, HOUR));
        assertEquals(HOUR, site.spinNanos());
        site.parks();
        int full = 0;
        for (int i = 0; i < 4 * WaitStrategy.Site.PROBE_EVERY; i++) {
            long spin = site.spinNanos();
            assertTrue(spin == 0 || spin == HOUR, "spin " + spin);
            full += spin == HOUR ? 1 : 0;
        }
        assertEquals(4, full, "one probing wait in " + WaitStrategy.Site.PROBE_EVERY);
        site.ended(System.nanoTime() - 2 * HOUR, HOUR);   // a probe that did not pay
        assertEquals(0, site.spinNanos());
    }

    @Test
    void aWaitEndedWithinItsSpinKeepsTheFullSpin() {
        WaitStrategy.Site site = new WaitStrategy.Site(new WaitStrategy(WaitStrategy.Kind.BACKOFF, HOUR, HOUR));
        site.parks();
        site.ended(System.nanoTime(), HOUR);
        assertEquals(HOUR, site.spinNanos());
    }

    @Test
    void aSiteYieldsAfterItsLearnedSpinThenParks() {
        WaitStrategy.Site site = new WaitStrategy.Site(new WaitStrategy(WaitStrategy.Kind.BACKOFF, HOUR, HOUR));
        assertTrue(site.idle(System.nanoTime(), -1, 0), "no spin learned: the yield phase still comes");
        assertFalse(site.idle(System.nanoTime() - 2 * HOUR, -1, 0), "past spin and yield: park");
        WaitStrategy.Site parking = new WaitStrategy.Site(new WaitStrategy(WaitStrategy.Kind.PARK, HOUR, HOUR));
        assertEquals(0, parking.spinNanos());
        assertFalse(parking.idle(System.nanoTime(), -1, parking.spinNanos()));
    }

    @Test
    void aPoolSiteSpinsWhileThatPaysThenParksWithoutYielding() {
        assumeTrue(WaitStrategy.POOL.kind == WaitStrategy.Kind.PARK, "the pool's wait is configured otherwise for this run");
        WaitStrategy.Site site = WaitStrategy.poolSite(HOUR);
        long spin = site.spinNanos();
        assertEquals(HOUR, spin);
        long start = System.nanoTime();
        assertTrue(site.idle(start, -1, spin), "within the spin: poll again");
        assertFalse(site.idle(start - spin - 1, -1, spin), "past the spin: park at once, no yield phase");
        site.ended(start - spin - 1, spin);   // this wait had to sleep
        assertEquals(0, site.spinNanos());
        assertFalse(site.idle(System.nanoTime(), -1, 0));
        WaitStrategy.Site off = WaitStrategy.poolSite(0);
        assertFalse(off.idle(System.nanoTime(), -1, off.spinNanos()), "no spin: park at once, as WaitStrategy.POOL");
    }
}
