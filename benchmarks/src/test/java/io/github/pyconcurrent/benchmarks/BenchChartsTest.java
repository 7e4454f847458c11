package io.github.pyconcurrent.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void figuresSpanningTwoDecadesGetALogAxis() {
        assertTrue(BenchCharts.needsLogScale(20, 600_000));
        assertFalse(BenchCharts.needsLogScale(20, 600));
        assertFalse(BenchCharts.needsLogScale(0, 600));
    }
}
