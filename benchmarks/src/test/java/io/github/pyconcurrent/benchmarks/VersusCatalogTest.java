package io.github.pyconcurrent.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class VersusCatalogTest {
    private static final String FIXTURE = PairingFixture.class.getName();
    private final VersusCatalog catalog = new VersusCatalog(getClass().getClassLoader());

    @Test
    void aPlainBenchmarkIsPairedWithTheBaselineItsVersusNames() {
        Pairing p = catalog.pairingOf(FIXTURE + ".ours").orElseThrow();
        assertEquals(new Pairing(FIXTURE + ".ours", "Ours", FIXTURE + ".baseline", "python key"), p);
        assertTrue(p.hasCpythonTwin());
    }

    @Test
    void anUnlabelledBenchmarkIsLabelledClassDotMethod() {
        Pairing p = catalog.pairingOf(FIXTURE + ".unlabelled").orElseThrow();
        assertEquals("PairingFixture.unlabelled", p.label());
        assertFalse(p.hasCpythonTwin());
    }

    @Test
    void aBenchmarkWithoutVersusHasNoPairing() {
        assertEquals(Optional.empty(), catalog.pairingOf(FIXTURE + ".baseline"));
        assertEquals(Optional.empty(), catalog.pairingOf(FIXTURE + ".noSuchMethod"));
        assertEquals(Optional.empty(), catalog.pairingOf("no.such.Class.method"));
    }

    @Test
    void aGroupIsPairedByTheVersusOnAnyOfItsMethods() {
        Pairing p = catalog.pairingOf(FIXTURE + ".pingPong").orElseThrow();
        assertEquals("Ping-pong", p.label());
        assertEquals(FIXTURE + ".jdkPingPong", p.jdkBaseline());
        assertTrue(catalog.exists(FIXTURE + ".jdkPingPong"), "a group is a benchmark");
    }

    @Test
    void aNestedClassWrittenWithDotsIsFound() {
        String nested = FIXTURE + ".Nested";
        Pairing p = catalog.pairingOf(nested + ".mine").orElseThrow();
        assertEquals(nested + ".base", p.jdkBaseline());
        assertTrue(catalog.exists(nested + ".base"));
    }

    @Test
    void aRepeatedVersusGivesOnePairingEachInTheOrderWritten() {
        List<Pairing> pairings = catalog.pairingsOf(FIXTURE + ".sampled");
        assertEquals(List.of(
                new Pairing(FIXTURE + ".sampled", "Sampled p50", FIXTURE + ".baseline", "sampled p50", 0),
                new Pairing(FIXTURE + ".sampled", "Sampled p99", FIXTURE + ".baseline", "sampled p99", 99),
                new Pairing(FIXTURE + ".sampled", "Sampled p50 vs other", FIXTURE + ".baseline", "other python", 0)),
                pairings);
        assertEquals(Optional.of(pairings.get(0)), catalog.pairingOf(FIXTURE + ".sampled"));
        assertEquals(List.of(), catalog.pairingsOf(FIXTURE + ".baseline"));
    }

    @Test
    void aBaselineThatNamesNothingIsReportedAsMissing() {
        Pairing p = catalog.pairingOf(FIXTURE + ".orphan").orElseThrow();
        assertFalse(catalog.exists(p.jdkBaseline()));
    }

    @Test
    void selectingABenchmarkBringsItsBaselineAlong() {
        Set<String> all = Set.of(FIXTURE + ".ours", FIXTURE + ".baseline", FIXTURE + ".extra");
        Set<String> selected = VersusCatalog.select(all, List.of(Pattern.compile("\\.ours$")));
        assertEquals(Set.of(FIXTURE + ".ours"), selected);
        assertEquals(Set.of(FIXTURE + ".ours", FIXTURE + ".baseline"), catalog.withBaselines(selected));
    }

    @Test
    void noPatternSelectsEverythingAndPatternsMatchAnywhereInTheName() {
        List<String> all = List.of("a.threading.X.m", "a.shared.Y.m");
        assertEquals(Set.copyOf(all), VersusCatalog.select(all, List.of()));
        assertEquals(Set.of("a.shared.Y.m"), VersusCatalog.select(all, List.of(Pattern.compile("shared"))));
    }
}
