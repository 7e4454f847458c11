package io.github.pyconcurrent.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchChartsTest {
    private static final String F = PairingFixture.class.getName() + ".";

    /** A group's chart is a PNG drawn without a display, missing figures and a log axis included. */
    @Test
    void aChartPerGroupIsWrittenHeadless(@TempDir Path dir) throws Exception {
        System.setProperty("java.awt.headless", "true");
        ComparisonTable table = ComparisonTable.build(
                List.of(F + "baseline", F + "extra", F + "ours", F + "unlabelled"),
                Map.of(F + "ours", Measurement.nanos(30), F + "baseline", Measurement.nanos(20),
                        F + "extra", Measurement.nanos(7), F + "unlabelled", Measurement.nanos(45)),
                new VersusCatalog(getClass().getClassLoader()), Map.of("python key", 600_000.0));
        assertEquals(2, BenchCharts.chartedRows(table, BenchGroup.OTHER).size(), "paired rows only");
        List<Path> written = BenchCharts.write(table, dir, "test");
        assertEquals(List.of(dir.resolve("other.png")), written);
        BufferedImage image = ImageIO.read(Files.newInputStream(written.get(0)));
        assertTrue(image.getWidth() >= 900 && image.getHeight() >= 700);
    }

    /** Every axis is logarithmic, in whole decades around the figures (an 81 ns bar beside 6,105 ns stays visible). */
    @Test
    void theLogAxisSpansWholeDecades() {
        assertArrayEquals(new double[] {10, 100_000}, BenchCharts.logAxis(81, 6_105));
        assertArrayEquals(new double[] {10, 10_000_000}, BenchCharts.logAxis(20, 600_000));
        assertArrayEquals(new double[] {10, 1_000}, BenchCharts.logAxis(100, 100), "a bar on a decade still shows, with room above");
    }

    /** Each chart says what it shows and which way is better. */
    @Test
    void titlesNameTheMetricAndTheBetterDirection() {
        assertEquals("threading: time per operation, lower is better", BenchCharts.Metric.TIME.title(BenchGroup.THREADING));
        assertEquals("socketserver: throughput, higher is better", BenchCharts.Metric.THROUGHPUT.title(BenchGroup.SOCKETSERVER));
        assertEquals("socketserver: server CPU per request, lower is better", BenchCharts.Metric.SERVER_CPU.title(BenchGroup.SOCKETSERVER));
        assertEquals("shared: memory, lower is better", BenchCharts.Metric.MEMORY.title(BenchGroup.SHARED));
        assertEquals("socketserver-throughput.png", BenchCharts.fileName(BenchGroup.SOCKETSERVER, BenchCharts.Metric.THROUGHPUT));
        assertEquals("threading.png", BenchCharts.fileName(BenchGroup.THREADING, BenchCharts.Metric.TIME));
        assertEquals("VirtualThreadingTCPServer, 64 connections",
                BenchCharts.shortLabel("VirtualThreadingTCPServer, throughput, 64 connections", BenchCharts.Metric.THROUGHPUT));
        assertEquals("Lock acquire+release", BenchCharts.shortLabel("Lock acquire+release", BenchCharts.Metric.TIME));
    }
}
