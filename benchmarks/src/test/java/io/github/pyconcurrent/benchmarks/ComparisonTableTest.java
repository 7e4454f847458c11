package io.github.pyconcurrent.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTableTest {
    private static final String F = PairingFixture.class.getName() + ".";
    private final VersusCatalog catalog = new VersusCatalog(getClass().getClassLoader());

    private ComparisonTable table() {
        return ComparisonTable.build(
                List.of(F + "baseline", F + "extra", F + "ours", F + "pingPong", F + "jdkPingPong"),
                Map.of(F + "ours", Measurement.nanos(30), F + "baseline", Measurement.nanos(20),
                        F + "extra", Measurement.nanos(7), F + "jdkPingPong", Measurement.nanos(1000)),
                catalog, Map.of("python key", 600.0));
    }

    @Test
    void oursSitsBesideItsBaselineAndCpythonWithRatiosOursOverOther() {
        ComparisonRow ours = table().rows().get(0);
        assertEquals("Ours", ours.label());
        assertEquals("baseline", ours.baselineName());
        assertEquals(1.5, ours.ratioToJdk());
        assertEquals(0.05, ours.ratioToCpython(), 1e-12);
    }

    @Test
    void aBaselineIsNoRowOfItsOwnButAnExtraIsAndFailuresShow() {
        List<String> labels = table().rows().stream().map(ComparisonRow::label).toList();
        assertEquals(List.of("Ours", "Ping-pong", "PairingFixture.extra"), labels);
        ComparisonRow pingPong = table().rows().get(1);
        assertNull(pingPong.ours(), "the group produced no result");
        assertTrue(table().toText().contains("failed"));
    }

    @Test
    void scoresAndRatiosAreFormattedForReading() {
        assertEquals("1.23x", ComparisonTable.formatRatio(1.234));
        assertEquals("0.047x", ComparisonTable.formatRatio(0.0468));
        assertEquals("12.5x", ComparisonTable.formatRatio(12.46));
        assertEquals(ComparisonTable.MISSING, ComparisonTable.formatRatio(Double.NaN));
        assertEquals("56.0", ComparisonTable.formatScore(56));
        assertEquals("3.14", ComparisonTable.formatScore(3.14159));
        assertEquals("52,341", ComparisonTable.formatScore(52_341.2));
        assertEquals(ComparisonTable.MISSING, ComparisonTable.formatScore(Double.NaN));
    }

    @Test
    void eachParamCombinationGetsItsRowBesideTheBaselineWithTheSameValues() {
        String ours = ComparisonTable.resultKey(F + "ours", java.util.Map.of("backend", "vt"));
        assertEquals(F + "ours [backend=vt]", ours);
        ComparisonTable table = ComparisonTable.build(List.of(F + "ours", F + "baseline"),
                Map.of(ours, Measurement.nanos(30), ComparisonTable.resultKey(F + "ours", Map.of("backend", "cont")),
                        Measurement.nanos(10), F + "baseline", Measurement.nanos(20)),
                catalog, Map.of());
        assertEquals(List.of("Ours [backend=cont]", "Ours [backend=vt]"),
                table.rows().stream().map(ComparisonRow::label).toList());
        assertEquals(0.5, table.rows().get(0).ratioToJdk(), "a baseline without @Param serves every combination");
        assertEquals("baseline", table.rows().get(0).baselineName());
    }

    @Test
    void theCsvCarriesUnroundedNumbersAndEmptyCellsForMissingOnes() {
        String[] lines = table().toCsv().split("\n");
        assertEquals("benchmark,label,ours,unit,jdk_baseline,jdk,ours_per_jdk,cpython_key,cpython,ours_per_cpython,group",
                lines[0]);
        assertEquals(F + "ours,Ours,30.0000,ns/op," + F + "baseline,20.0000,1.5000,python key,600.0000,0.0500,other",
                lines[1]);
        assertEquals(F + "extra,PairingFixture.extra,7.0000,ns/op,,,,,,,other", lines[3]);
    }

    /** Each @Versus of a benchmark is a row; a percentile row shows that percentile of ours and of the baseline. */
    @Test
    void aSampledBenchmarkGetsARowPerVersusWithThePercentileItNames() {
        Map<Double, Double> ours = Map.of(50.0, 10.0, 90.0, 20.0, 99.0, 40.0, 99.9, 80.0, 99.99, 90.0);
        Map<Double, Double> jdk = Map.of(50.0, 5.0, 90.0, 6.0, 99.0, 8.0, 99.9, 9.0, 99.99, 9.5);
        ComparisonTable table = ComparisonTable.build(List.of(F + "sampled", F + "baseline"),
                Map.of(F + "sampled", Measurement.ofSamples(ours::get, "ns/op"),
                        F + "baseline", Measurement.ofSamples(p -> jdk.get(p) / 1000, "us/op")),
                catalog, Map.of("sampled p50", 100.0, "sampled p99", 400.0, "other python", 50.0));
        List<ComparisonRow> rows = table.rows();
        assertEquals(List.of("Sampled p50", "Sampled p99", "Sampled p50 vs other"),
                rows.stream().map(ComparisonRow::label).toList());
        assertEquals(10.0, rows.get(0).ours().score());
        assertEquals(2.0, rows.get(0).ratioToJdk(), 1e-9);
        assertEquals(0.1, rows.get(0).ratioToCpython(), 1e-9);
        assertEquals(40.0, rows.get(1).ours().score());
        assertEquals(5.0, rows.get(1).ratioToJdk(), 1e-9);
        assertEquals(0.1, rows.get(1).ratioToCpython(), 1e-9);
        assertEquals(0.2, rows.get(2).ratioToCpython(), 1e-9);
    }

    @Test
    void aPercentileOfABenchmarkThatDidNotSampleShowsAsFailed() {
        ComparisonTable table = ComparisonTable.build(List.of(F + "sampled", F + "baseline"),
                Map.of(F + "sampled", Measurement.nanos(10), F + "baseline", Measurement.nanos(5)),
                catalog, Map.of());
        assertNull(table.rows().get(1).ours());
        assertEquals(10.0, table.rows().get(0).ours().score());
    }

    @Test
    void theMarkdownHasAHeadingPerGroupAndSetsContextRowsApart() {
        List<String> lines = List.of(table().toMarkdown().split("\n"));
        assertEquals("### other", lines.get(0));
        assertTrue(lines.contains("| Ours | 30.0 | ns/op | baseline | 20.0 | 1.50x | 600 | 20x faster |"),
                lines::toString);
        int context = lines.indexOf("For context (unpaired: JDK extras, raw floors):");
        assertTrue(context > lines.indexOf("| Ping-pong | failed |  | jdkPingPong | 1,000 | — | — | — |"), lines::toString);
        assertTrue(lines.get(context + 4).startsWith("| PairingFixture.extra | 7.00 |"), lines::toString);
    }

    @Test
    void theTextHasAHeadingPerGroupAndSetsContextRowsApart() {
        String text = table().toText();
        assertTrue(text.contains("== other =="), text);
        assertTrue(text.indexOf("for context") < text.indexOf("PairingFixture.extra"), text);
        assertTrue(text.indexOf("Ping-pong") < text.indexOf("for context"), text);
    }

    /** Rows come by module, in the order of BenchGroup, whatever order the benchmarks ran in. */
    @Test
    void benchmarksAreGroupedByTheirPackage() {
        assertEquals(BenchGroup.THREADING, BenchGroup.of("io.github.pyconcurrent.benchmarks.threading.LockBenchmark.lock"));
        assertEquals(BenchGroup.PROCESS, BenchGroup.of("io.github.pyconcurrent.benchmarks.multiprocessing.PoolBenchmark.apply [x=1]"));
        assertEquals(BenchGroup.COROUTINE, BenchGroup.of("io.github.pyconcurrent.benchmarks.gevent.GeventBenchmark.spawn"));
        assertEquals(BenchGroup.COROUTINE, BenchGroup.of("io.github.pyconcurrent.benchmarks.greenlet.GreenletBenchmark.s"));
        assertEquals(BenchGroup.OTHER, BenchGroup.of(F + "ours"));
        assertEquals("greenlet", BenchGroup.packageOf("io.github.pyconcurrent.benchmarks.greenlet.GreenletBenchmark.s"));
    }

    @Test
    void theSpeedUpReadsNaturally() {
        assertEquals("4.4x faster", ComparisonTable.formatSpeedup(1 / 4.4));
        assertEquals("1.3x slower", ComparisonTable.formatSpeedup(1.3));
        assertEquals("23x faster", ComparisonTable.formatSpeedup(1 / 23.2));
        assertEquals("1,250x faster", ComparisonTable.formatSpeedup(1 / 1250.0));
        assertEquals("same", ComparisonTable.formatSpeedup(1.02));
        assertEquals(ComparisonTable.MISSING, ComparisonTable.formatSpeedup(Double.NaN));
        assertEquals("12% faster", ComparisonTable.formatChange(1 / 1.12));
        assertEquals("8% slower", ComparisonTable.formatChange(1.08));
        assertEquals("same", ComparisonTable.formatChange(1.01));
        assertEquals("3.0x slower", ComparisonTable.formatChange(3));
    }

    /** --compare: the CSV a run wrote is read back (quoted labels too), and each row shows its change. */
    @Test
    void anEarlierRunsCsvGivesEachRowItsChange() {
        ComparisonTable before = ComparisonTable.build(
                List.of(F + "baseline", F + "extra", F + "ours"),
                Map.of(F + "ours", Measurement.nanos(60), F + "baseline", Measurement.nanos(20),
                        F + "extra", Measurement.nanos(7)),
                catalog, Map.of());
        Map<String, Measurement> scores = ComparisonTable.readCsv(List.of(before.toCsv().split("\n")));
        assertEquals(60.0, scores.get(ComparisonTable.rowKey(F + "ours", "Ours")).score());
        String text = table().since(scores, "20260101-120000").toText();
        assertTrue(text.contains("since 20260101-120000"), text);
        assertTrue(text.contains("2.0x faster"), text);
        assertEquals(List.of("a", "b,c", "d\"e", ""), Csv.split("a,\"b,c\",\"d\"\"e\","));
    }

    /** Memory rows sit in their module's group after its timings, in bytes, and read smaller/larger. */
    @Test
    void memoryRowsAreInBytesAfterTheTimingsAndReadSmallerOrLarger() {
        ComparisonTable table = ComparisonTable.build(List.of(), Map.of(), catalog, Map.of())
                .with(MemoryRows.rows(List.of("greenlet", "threading"),
                        Map.of(MemoryProbe.GREENLET, 1000.0, MemoryProbe.VIRTUAL_THREAD, 1500.0),
                        Map.of("greenlet bytes per suspended greenlet", 4000.0)));
        assertEquals(1, table.rows().size(), "only the selected packages' rows");
        ComparisonRow row = table.rows().get(0);
        assertEquals(BenchGroup.COROUTINE, row.group());
        assertEquals("bytes", row.ours().unit());
        assertTrue(table.toText().contains("4.0x smaller"), table.toText());
        assertTrue(MemoryRows.wanted(List.of("multiprocessing")));
        assertTrue(!MemoryRows.wanted(List.of("threading")));
    }

    /** The printed table reads a memory row in KiB or MiB, all three figures in ours' unit; the CSV keeps bytes. */
    @Test
    void memoryRowsPrintInBinaryUnitsPickedByOurs() {
        assertEquals("bytes", ComparisonTable.memoryUnit(1000));
        assertEquals("KiB", ComparisonTable.memoryUnit(1_499));
        assertEquals("MiB", ComparisonTable.memoryUnit(108_888_064));
        ComparisonTable table = ComparisonTable.build(List.of(), Map.of(), catalog, Map.of())
                .with(MemoryRows.rows(List.of("multiprocessing"),
                        Map.of(MemoryProbe.POOL_WORKER, 108_888_064.0, MemoryProbe.IDLE_JVM, 45_916_160.0),
                        Map.of()));
        String text = table.toText();
        assertTrue(text.contains("104") && text.contains("MiB") && text.contains("43.8"), text);
        assertTrue(!text.contains("108,888,064"), text);
        assertTrue(table.toCsv().contains("108888064.0000"), table.toCsv());
    }
}
