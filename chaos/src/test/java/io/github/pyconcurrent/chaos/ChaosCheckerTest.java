package io.github.pyconcurrent.chaos;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The invariant checker of ./run chaos: it must fail a run that lost or duplicated work, or stalled. */
class ChaosCheckerTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    private static PartTally tally() {
        return new PartTally("test", new EventLog(EventLog.DEFAULT_CAPACITY, System.nanoTime()), BOUND);
    }

    private static ChaosRun.Result resultOf(PartTally... rows) {
        return new ChaosRun.Result(1, List.of(rows), Map.of(), 0, List.of(), Duration.ZERO);
    }

    /** A part whose counts balance, with its replays explained by its kills, passes. */
    @Test
    void balancedCountsPass() {
        PartTally t = tally();
        t.acknowledged(100);
        t.counted(0, 0, 2, 2);
        assertTrue(t.ok(), t.failures().toString());
        assertTrue(resultOf(t, tally()).ok());
    }

    /** One acknowledged item lost fails the part and the run. */
    @Test
    void oneLostItemFails() {
        PartTally t = tally();
        t.acknowledged(100);
        t.counted(1, 0, 0, 0);
        assertFalse(t.ok());
        assertFalse(resultOf(tally(), t).ok());
    }

    /** Losses beyond what the kills explain fail; within it they pass (a killed consumer's item in hand). */
    @Test
    void lossesBeyondTheAllowanceFail() {
        PartTally within = tally();
        within.counted(2, 2, 0, 0);
        assertTrue(within.ok());
        PartTally beyond = tally();
        beyond.counted(3, 2, 0, 0);
        assertFalse(beyond.ok());
    }

    /** A duplicate not explained by a kill mid-operation fails. */
    @Test
    void unexplainedDuplicateFails() {
        PartTally t = tally();
        t.counted(0, 0, 1, 0);
        assertFalse(t.ok());
    }

    /** A violation seen during the run fails the part, and is written to the event log. */
    @Test
    void violationFailsAndIsLogged() {
        EventLog log = new EventLog(4, System.nanoTime());
        PartTally t = new PartTally("test", log, BOUND);
        t.violation("task 7 got a second callback");
        assertFalse(t.ok());
        assertTrue(log.lastEvents().get(0).contains("task 7 got a second callback"));
    }

    /** The event log keeps only the last events, oldest first. */
    @Test
    void eventLogIsBounded() {
        EventLog log = new EventLog(3, System.nanoTime());
        for (int i = 0; i < 5; i++) {
            log.add("p", "event " + i);
        }
        List<String> last = log.lastEvents();
        assertEquals(3, last.size());
        assertTrue(last.get(0).endsWith("event 2"));
        assertTrue(last.get(2).endsWith("event 4"));
    }

    /** A call still open after the bound is reported (once) by the watchdog scan, and fails its part. */
    @Test
    void watchdogReportsACallStuckBeyondTheBound() {
        Watchdog watchdog = new Watchdog(BOUND);
        PartTally t = tally();
        long ticket = watchdog.begin(t, "a stuck get()");
        watchdog.scan(System.nanoTime() + BOUND.toNanos() + 1);   // as seen once the bound has passed
        watchdog.scan(System.nanoTime() + BOUND.toNanos() + 2);
        assertEquals(1, t.violations().size(), t.violations().toString());
        assertFalse(t.ok());
        watchdog.end(ticket);
        assertEquals(0, watchdog.openCalls());
    }

    /** The options parse as documented; 'lock' is the dict part. */
    @Test
    void optionsParse() {
        ChaosOptions o = ChaosOptions.parse("--minutes", "0.5", "--seed", "42", "--parts", "pool,lock");
        assertEquals(Duration.ofSeconds(30), o.duration());
        assertEquals(42, o.seed());
        assertEquals(Set.of("pool", "dict"), o.parts());
        assertEquals(EnumSet.allOf(FaultKind.class), o.faultKinds());
    }

    /** The list of parts is accepted (lock naming the dict part), and the default is every part. */
    @Test
    void everyPartByDefault() {
        Set<String> all = Set.of("pool", "queue", "dict", "server", "cluster");
        assertEquals(all, ChaosOptions.parse("--parts", "pool,queue,dict,lock,server,cluster").parts());
        assertEquals(all, ChaosOptions.parse().parts());
        assertEquals(Duration.ofMinutes(2), ChaosOptions.parse().duration());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ChaosOptions.parse("--parts", "pool,nosuch"));
        assertTrue(e.getMessage().contains("nosuch") && e.getMessage().contains("cluster"), e.getMessage());
    }
}
