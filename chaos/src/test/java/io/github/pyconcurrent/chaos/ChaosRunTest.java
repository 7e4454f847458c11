package io.github.pyconcurrent.chaos;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Short real chaos runs: real child JVMs, real SIGKILL and SIGSTOP. */
class ChaosRunTest {
    private static ChaosOptions options(double minutes, String parts) {
        return ChaosOptions.parse("--minutes", Double.toString(minutes), "--seed", "20", "--parts", parts);
    }

    private static ChaosRun.Result run(ChaosOptions options) {
        ChaosRun.Result r = new ChaosRun(options, System.out).run();
        Chaos.print(r, System.out);
        return r;
    }

    /** A 15-second run of the pool and the dict parts under every fault they can suffer holds every invariant. */
    @Test
    void shortRunPasses() {
        ChaosRun.Result r = run(options(0.25, "pool,dict"));
        assertTrue(r.ok(), "the run failed; see its table above");
        assertTrue(r.totalFaults() > 0, "no fault was struck");
    }

    /**
     * The broken part: the dict part drops one acknowledged increment (test-only hook), and the run
     * must fail on it. Only pauses are struck, so no kill can leave an unacknowledged increment
     * that would hide the loss.
     */
    @Test
    void droppedIncrementFailsTheRun() {
        ChaosRun.Result r = runBroken("dict");
        assertEquals(Set.of(FaultKind.PAUSE), r.faults().keySet());
    }

    /**
     * Runs {@code part} alone with its test-only hook that drops one acknowledged increment, and
     * only pauses struck (no kill can excuse a loss): the part, and so the run, must fail with
     * lost = 1, and nothing else may fail.
     */
    private static ChaosRun.Result runBroken(String part) {
        ChaosRun.Result r = run(options(0.1, part).withDroppedIncrement().withFaultKinds(EnumSet.of(FaultKind.PAUSE)));
        assertFalse(r.ok());
        PartTally tally = r.rows().get(0);
        assertEquals(part, tally.part);
        assertEquals(1, tally.lost());
        assertFalse(tally.ok());
        assertTrue(r.rows().get(1).ok(), "the end checks failed too: " + r.rows().get(1).failures());
        assertTrue(Set.of(FaultKind.PAUSE).containsAll(r.faults().keySet()), r.faults().toString());
        return r;
    }

    /**
     * The server part (its prefork workers SIGKILLed mid-request once both are ready) and the
     * cluster part (its child member SIGKILLed and restarted once it joined) hold every invariant
     * in a short run.
     */
    @Test
    void serverAndClusterShortRunPasses() {
        ChaosRun.Result r = run(options(0.3, "server,cluster"));
        assertTrue(r.ok(), "the run failed; see its table above");
        // Which kills land depends on how fast the worker and member JVMs start (the prefork worker
        // and the member are struck only once ready), so only that faults were struck is asserted.
        assertTrue(r.totalFaults() > 0, "no fault was struck");
    }

    /**
     * The broken cluster part: one acknowledged ClusterDict increment is taken back (test-only
     * hook) and the run must fail on it, with lost = 1. Only pauses are struck, so no kill of the
     * member can excuse anything.
     */
    @Test
    void droppedClusterIncrementFailsTheRun() {
        runBroken("cluster");
    }
}
