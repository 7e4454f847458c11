package io.github.pyconcurrent.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CompareOptionsTest {

    @Test
    void theDefaultIsTheQuickPassOfEverything() {
        CompareOptions o = CompareOptions.parse();
        assertEquals("1 fork(s), 2 x 200 ms warm-up, 3 x 300 ms measurement", o.budget());
        assertTrue(o.includes().isEmpty());
        assertTrue(o.cpython());
        assertFalse(o.list());
    }

    @Test
    void fullIsAProperRunAndEachFigureCanBeOverridden() {
        assertEquals("3 fork(s), 5 x 1000 ms warm-up, 5 x 1000 ms measurement", CompareOptions.parse("--full").budget());
        CompareOptions o = CompareOptions.parse("--full", "--forks", "2", "--iteration-ms", "500",
                "--include", "threading", "--include", "Lock", "--no-cpython", "--prof", "gc");
        assertEquals(2, o.forks());
        assertEquals(Duration.ofMillis(500), o.iterationTime());
        assertEquals(2, o.includes().size());
        assertFalse(o.cpython());
        assertEquals(java.util.List.of("gc"), o.profilers());
    }

    @Test
    void aBadCommandLineIsRefusedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> CompareOptions.parse("--bogus"));
        assertThrows(IllegalArgumentException.class, () -> CompareOptions.parse("--include"));
        assertThrows(IllegalArgumentException.class, () -> CompareOptions.parse("--include", "("));
        assertThrows(IllegalArgumentException.class, () -> CompareOptions.parse("--iterations", "0"));
        assertThrows(IllegalArgumentException.class, () -> CompareOptions.parse("--forks", "many"));
    }

    @Test
    void smokeIsATinyRunOfTwoModulesIntoItsOwnDirectory() {
        CompareOptions o = CompareOptions.parse("--smoke");
        assertTrue(o.smoke());
        assertEquals(CompareOptions.SMOKE_INCLUDES.size(), o.includes().size());
        assertEquals("1 fork(s), 1 x 100 ms warm-up, 2 x 100 ms measurement", o.budget());
        assertEquals("bench-results/smoke", o.resultsDir());
        assertEquals("bench-results", CompareOptions.parse().resultsDir());
        assertEquals("bench-results/x", CompareOptions.parse("--compare", "bench-results/x").compareWith());
        assertThrows(IllegalArgumentException.class, () -> CompareOptions.parse("--smoke", "--full"));
    }

    @Test
    void theLoadRowsRunByDefaultForTwoSecondsAPassAndCanBeLeftOutOrLengthened() {
        CompareOptions quick = CompareOptions.parse();
        assertTrue(quick.load());
        assertEquals(Duration.ofSeconds(2), LoadRows.Budget.of(quick).window());
        assertEquals(Duration.ofSeconds(5), LoadRows.Budget.of(CompareOptions.parse("--full")).window());
        assertEquals(Duration.ofMillis(800), LoadRows.Budget.of(CompareOptions.parse("--load-ms", "800")).window());
        assertFalse(CompareOptions.parse("--no-load").load());
        LoadRows.Budget smoke = LoadRows.Budget.of(CompareOptions.parse("--smoke"));
        assertEquals(1, smoke.servers().size(), "the smoke run loads one server, once");
        assertEquals(0, smoke.idle());
        assertEquals(0, smoke.pinned());
    }
}
