package io.github.pyconcurrent.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The startup rows from the probe's and CPython's figures: who is paired with whom, and the goals read off them. */
class StartupRowsTest {
    private static final Map<String, Double> OURS = Map.of(
            StartupRows.FORKSERVER_P50, 40e6, StartupRows.FORKSERVER_P95, 60e6,
            StartupRows.SPAWN_P50, 90e6, StartupRows.SPAWN_P95, 120e6,
            StartupRows.POOL2, 50e6, StartupRows.WORKER_RSS, 52e6,
            StartupRows.HELLO, 30e6, StartupRows.HELLO_RSS, 40e6);
    private static final Map<String, Double> CPYTHON = Map.of(
            StartupRows.cpythonStartJoin("forkserver", 50), 20e6, StartupRows.cpythonStartJoin("fork", 50), 2e6,
            StartupRows.cpythonStartJoin("forkserver", 95), 30e6, StartupRows.cpythonStartJoin("spawn", 50), 60e6,
            StartupRows.cpythonStartJoin("spawn", 95), 80e6, StartupRows.CPY_POOL2_PREFIX + "fork", 10e6,
            StartupRows.CPY_WORKER_RSS, 14e6, StartupRows.CPY_HELLO, 9e6, StartupRows.CPY_HELLO_RSS, 10e6);

    private static ComparisonRow row(List<ComparisonRow> rows, String name, String labelPart) {
        return rows.stream().filter(r -> r.benchmark().equals(StartupRows.CLASS + name) && r.label().contains(labelPart))
                .findFirst().orElseThrow(() -> new AssertionError(name + " / " + labelPart + " not in " + rows));
    }

    @Test
    void timeRowsStandBesideTheBareJvmAndTheirCpythonTwin() {
        List<ComparisonRow> rows = StartupRows.rows(OURS, CPYTHON);
        ComparisonRow forkserver = row(rows, StartupRows.FORKSERVER_P50, "forkserver, p50");
        assertEquals(StartupRows.CLASS + StartupRows.HELLO, forkserver.baseline());
        assertEquals(2.0, forkserver.ratioToCpython(), 1e-9);
        assertEquals(20.0, row(rows, StartupRows.FORKSERVER_P50, "vs CPython fork").ratioToCpython(), 1e-9);
        ComparisonRow spawn = row(rows, StartupRows.SPAWN_P50, "spawn, p50");
        assertEquals(1.5, spawn.ratioToCpython(), 1e-9);
        assertEquals(3.0, spawn.ratioToJdk(), 1e-9);
        assertEquals(BenchGroup.PROCESS, spawn.group());
        assertTrue(row(rows, StartupRows.HELLO, "Hello").contextOnly(), "the floor is nobody's pairing");
    }

    @Test
    void thePoolRowSaysWhichContextCpythonsPoolRanWith() {
        ComparisonRow pool = row(StartupRows.rows(OURS, CPYTHON), StartupRows.POOL2, "Pool(2)");
        assertTrue(pool.label().endsWith("(CPython: default context, fork)"), pool.label());
        assertEquals(5.0, pool.ratioToCpython(), 1e-9);
        ComparisonRow without = row(StartupRows.rows(OURS, Map.of()), StartupRows.POOL2, "Pool(2)");
        assertNull(without.cpython());
        assertFalse(without.label().contains("CPython"), without.label());
    }

    @Test
    void theIdleWorkersRssIsMeasuredAgainstTheBareJvmsPeak() {
        ComparisonRow worker = row(StartupRows.rows(OURS, CPYTHON), StartupRows.WORKER_RSS, "idle");
        assertEquals(MemoryRows.UNIT, worker.ours().unit());
        assertEquals(1.3, worker.ratioToJdk(), 1e-9);
        assertEquals(StartupRows.CLASS + StartupRows.HELLO_RSS, worker.baseline());
    }

    @Test
    void eachGoalIsReadOffItsRowAgainstCpythonOrTheFloor() {
        List<StartupRows.GoalResult> goals = StartupRows.goals(StartupRows.rows(OURS, CPYTHON));
        assertEquals(StartupRows.GOALS.size(), goals.size());
        Map<String, Double> ratios = goals.stream().collect(java.util.stream.Collectors.toMap(
                g -> g.goal().what(), StartupRows.GoalResult::ratio));
        assertEquals(2.0, ratios.get("forkserver start+join p50 / CPython forkserver"), 1e-9);
        assertEquals(1.5, ratios.get("spawn start+join p50 / CPython spawn"), 1e-9);
        assertEquals(3.0, ratios.get("spawn start+join p50 / bare_jvm_hello"), 1e-9);
        assertEquals(5.0, ratios.get("Pool(2) create+apply+close+join / CPython"), 1e-9);
        assertEquals(1.3, ratios.get("idle worker RSS / bare_jvm_hello peak RSS"), 1e-9);
        // At the limit is met; above it is not.
        assertEquals(Set.of("spawn start+join p50 / CPython spawn", "idle worker RSS / bare_jvm_hello peak RSS"),
                goals.stream().filter(StartupRows.GoalResult::met).map(g -> g.goal().what())
                        .collect(java.util.stream.Collectors.toSet()));
        String markdown = StartupRows.goalsMarkdown(goals);
        assertTrue(markdown.contains("| forkserver start+join p50 / CPython forkserver | 40.0 ms | 20.0 ms | 2.00x | <= 1.0x | not met |"),
                markdown);
    }

    @Test
    void aGoalWithoutItsFiguresIsNotMeasuredRatherThanMet() {
        List<StartupRows.GoalResult> goals = StartupRows.goals(StartupRows.rows(Map.of(), CPYTHON));
        assertTrue(goals.stream().noneMatch(StartupRows.GoalResult::met));
        assertTrue(StartupRows.goalsText(goals).contains("not measured"));
    }

    @Test
    void theRowsComeWithTheMultiprocessingGroupOrByNameButNeverInTheSmokeRun() {
        assertTrue(StartupRows.wanted(Set.of("multiprocessing"), CompareOptions.parse()));
        assertFalse(StartupRows.wanted(Set.of("threading"), CompareOptions.parse("--include", "threading")));
        assertTrue(StartupRows.wanted(Set.of(), CompareOptions.parse("--include", "Startup")));
        assertTrue(StartupRows.wanted(Set.of(), CompareOptions.parse("--include", "bare_jvm_hello")));
        assertFalse(StartupRows.wanted(Set.of("multiprocessing"), CompareOptions.parse("--smoke", "--include", "multiprocessing")));
    }
}
