package io.github.pyconcurrent.benchmarks;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * The report's charts: one PNG per {@link BenchGroup}, a cluster of bars per primitive (ours, its
 * JDK baseline, its CPython twin), in ns per operation, lower is better. The axis is logarithmic
 * when the figures span two decades or more (a lock in nanoseconds beside a process start in
 * milliseconds); only the paired rows in ns/op are drawn (the table has the rest).
 *
 * <p>Rendered with XChart through Java2D, headless: the runner sets {@code java.awt.headless}
 * before anything touches AWT, so no display is needed.
 */
final class BenchCharts {
    /** Figures spanning at least this factor get a logarithmic axis. */
    static final double LOG_SCALE_SPAN = 100;

    private static final Color OURS = new Color(0x1f, 0x6f, 0xb4);
    private static final Color JDK = new Color(0x9a, 0x9a, 0x9a);
    private static final Color CPYTHON = new Color(0xf2, 0xb7, 0x05);

    private BenchCharts() {}

    /** The rows of {@code table} that {@code group}'s chart draws. */
    static List<ComparisonRow> chartedRows(ComparisonTable table, BenchGroup group) {
        return table.rows().stream()
                .filter(r -> r.group() == group && !r.contextOnly() && r.ours() != null)
                .filter(r -> NanosPerOp.UNIT.equals(r.ours().unit()))
                .toList();
    }

    /**
     * Writes {@code <group>.png} into {@code dir} for every group of {@code table} with a row to
     * draw, and returns the files written.
     *
     * @param subtitle one line under each title (when and on what it was measured)
     */
    static List<Path> write(ComparisonTable table, Path dir, String subtitle) throws IOException {
        List<Path> written = new ArrayList<>();
        for (BenchGroup group : table.groups()) {
            List<ComparisonRow> rows = chartedRows(table, group);
            if (rows.isEmpty()) {
                continue;
            }
            Path file = dir.resolve(group.fileName() + ".png");
            BitmapEncoder.saveBitmap(chart(group, rows, subtitle), file.toString(), BitmapEncoder.BitmapFormat.PNG);
            written.add(file);
        }
        return written;
    }

    /** Whether figures from {@code min} to {@code max} span enough to need a logarithmic axis. */
    static boolean needsLogScale(double min, double max) {
        return min > 0 && max / min >= LOG_SCALE_SPAN;
    }

    private static CategoryChart chart(BenchGroup group, List<ComparisonRow> rows, String subtitle) {
        List<String> labels = rows.stream().map(ComparisonRow::label).toList();
        List<Double> ours = rows.stream().map(r -> nanos(r.ours())).toList();
        List<Double> jdk = rows.stream().map(r -> nanos(r.jdk())).toList();
        List<Double> cpython = rows.stream().map(r -> nanos(r.cpython())).toList();
        double[] range = Stream.of(ours, jdk, cpython).flatMap(List::stream).filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue).filter(v -> v > 0)
                .collect(() -> new double[] {Double.MAX_VALUE, 0},
                        (r, v) -> { r[0] = Math.min(r[0], v); r[1] = Math.max(r[1], v); },
                        (a, b) -> { a[0] = Math.min(a[0], b[0]); a[1] = Math.max(a[1], b[1]); });
        boolean log = needsLogScale(range[0], range[1]);

        CategoryChart chart = new CategoryChartBuilder()
                .width(Math.max(900, 150 * rows.size() + 200)).height(720)
                .title(group.fileName() + ": time per operation, lower is better")
                .xAxisTitle(subtitle)
                .yAxisTitle("ns per operation" + (log ? " (log scale)" : ""))
                .build();
        CategoryStyler styler = chart.getStyler();
        styler.setYAxisLogarithmic(log);
        if (log) {
            // Whole decades, and never 0: XChart's bar charts start the axis at 0 unless told,
            // which a logarithmic axis refuses.
            styler.setYAxisMin(Math.pow(10, Math.floor(Math.log10(range[0]))));
            styler.setYAxisMax(Math.pow(10, Math.ceil(Math.log10(range[1]))));
        }
        styler.setXAxisLabelRotation(30);
        styler.setAvailableSpaceFill(0.8);
        styler.setOverlapped(false);
        styler.setYAxisDecimalPattern("#,##0.###");
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xe0, 0xe0, 0xe0));
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setSeriesColors(new Color[] {OURS, JDK, CPYTHON});
        chart.addSeries("pyconcurrent", labels, ours);
        chart.addSeries("JDK baseline", labels, jdk);
        boolean noCpython = cpython.stream().allMatch(Objects::isNull);
        chart.addSeries(noCpython ? "CPython (not measured here)" : "CPython", labels, cpython);
        return chart;
    }

    /** A figure to draw, or null (XChart draws no bar for null) when missing or not in ns/op. */
    private static Double nanos(Measurement m) {
        return m == null || !NanosPerOp.UNIT.equals(m.unit()) || !(m.score() > 0) ? null : m.score();
    }
}
