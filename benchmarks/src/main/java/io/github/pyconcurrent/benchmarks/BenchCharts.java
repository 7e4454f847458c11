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
 * The report's charts: per {@link BenchGroup}, one PNG per kind of figure ({@link Metric}: time per
 * operation, memory, throughput, server CPU per request), a cluster of bars per primitive (ours,
 * its JDK baseline, its CPython twin). Each reads alone: a title naming the module, the metric
 * and whether lower or higher is better; an axis with its unit; the value on every bar. The axis
 * is always logarithmic, so an 81 ns bar stays visible beside a 6,105 ns one. Only paired rows
 * are drawn (the table has the rest).
 *
 * <p>Rendered with XChart through Java2D, headless: the runner sets {@code java.awt.headless}
 * before anything touches AWT, so no display is needed.
 */
final class BenchCharts {
    /** What a chart shows: rows of one unit, with its words. */
    enum Metric {
        TIME(NanosPerOp.UNIT, "", "time per operation", "ns per operation", false),
        MEMORY(MemoryRows.UNIT, "-memory", "memory", "bytes", false),
        THROUGHPUT(LoadRows.RATE, "-throughput", "throughput", "requests per second", true),
        SERVER_CPU(LoadRows.CPU, "-cpu", "server CPU per request", "CPU ns per request", false);

        final String unit;
        final String fileSuffix;
        final String title;
        final String axis;
        final boolean higherIsBetter;

        Metric(String unit, String fileSuffix, String title, String axis, boolean higherIsBetter) {
            this.unit = unit;
            this.fileSuffix = fileSuffix;
            this.title = title;
            this.axis = axis;
            this.higherIsBetter = higherIsBetter;
        }

        /** The chart's title: module, metric, which way is better. */
        String title(BenchGroup group) {
            return title(group, title);
        }

        String title(BenchGroup group, String what) {
            return group.fileName() + ": " + what + ", " + (higherIsBetter ? "higher" : "lower") + " is better";
        }

        /** Whether a part of a row's label (between commas) names this metric, as the title does already. */
        boolean named(String labelPart) {
            return labelPart.startsWith(title);
        }
    }

    private static final Color OURS = new Color(0x1f, 0x6f, 0xb4);
    private static final Color JDK = new Color(0x9a, 0x9a, 0x9a);
    private static final Color CPYTHON = new Color(0xf2, 0xb7, 0x05);

    private BenchCharts() {}

    /** The rows of {@code table} that {@code group}'s chart of {@code metric} draws. */
    static List<ComparisonRow> chartedRows(ComparisonTable table, BenchGroup group, Metric metric) {
        return table.rows().stream()
                .filter(r -> r.group() == group && !r.contextOnly() && r.ours() != null)
                .filter(r -> metric.unit.equals(r.ours().unit()))
                .toList();
    }

    /** The time-per-operation rows of {@code group} (its main chart). */
    static List<ComparisonRow> chartedRows(ComparisonTable table, BenchGroup group) {
        return chartedRows(table, group, Metric.TIME);
    }

    /** The file of {@code group}'s chart of {@code metric}: {@code threading.png}, {@code socketserver-throughput.png}. */
    static String fileName(BenchGroup group, Metric metric) {
        return group.fileName() + metric.fileSuffix + ".png";
    }

    /**
     * Writes a chart into {@code dir} for every group and metric of {@code table} with a row to
     * draw, and returns the files written.
     *
     * @param subtitle one line under each chart (when and on what it was measured)
     */
    static List<Path> write(ComparisonTable table, Path dir, String subtitle) throws IOException {
        List<Path> written = new ArrayList<>();
        for (BenchGroup group : table.groups()) {
            for (Metric metric : Metric.values()) {
                List<ComparisonRow> rows = chartedRows(table, group, metric);
                if (rows.isEmpty()) {
                    continue;
                }
                Path file = dir.resolve(fileName(group, metric));
                BitmapEncoder.saveBitmap(chart(group, metric, rows, subtitle), file.toString(), BitmapEncoder.BitmapFormat.PNG);
                written.add(file);
            }
        }
        return written;
    }

    /**
     * The log axis's ends: whole decades around the figures from {@code min} to {@code max}, the
     * lowest strictly below {@code min} (a bar as high as the axis's foot would not show) and the
     * highest with room above {@code max} for the value written on its bar.
     */
    static double[] logAxis(double min, double max) {
        double low = Math.pow(10, Math.floor(Math.log10(min * 0.99)));
        double high = Math.pow(10, Math.ceil(Math.log10(max * 3)));
        return new double[] {low, high};
    }

    private static CategoryChart chart(BenchGroup group, Metric metric, List<ComparisonRow> rows, String subtitle) {
        // A load row's label names its metric ("…, throughput, 64 connections"): the title says it
        // once, and the bars' labels stay short enough for XChart to print every one.
        List<String> labels = rows.stream().map(r -> shortLabel(r.label(), metric)).toList();
        List<String> named = rows.stream().flatMap(r -> Stream.of(r.label().split(", "))).filter(metric::named).distinct().toList();
        String title = named.size() == 1 ? metric.title(group, named.getFirst()) : metric.title(group);
        List<Double> ours = rows.stream().map(r -> figure(r.ours(), metric)).toList();
        List<Double> jdk = rows.stream().map(r -> figure(r.jdk(), metric)).toList();
        List<Double> cpython = rows.stream().map(r -> figure(r.cpython(), metric)).toList();
        double[] range = Stream.of(ours, jdk, cpython).flatMap(List::stream).filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue).filter(v -> v > 0)
                .collect(() -> new double[] {Double.MAX_VALUE, 0},
                        (r, v) -> { r[0] = Math.min(r[0], v); r[1] = Math.max(r[1], v); },
                        (a, b) -> { a[0] = Math.min(a[0], b[0]); a[1] = Math.max(a[1], b[1]); });

        CategoryChart chart = new CategoryChartBuilder()
                .width(Math.max(900, 190 * rows.size() + 250)).height(760)
                .title(title)
                .xAxisTitle(subtitle)
                .yAxisTitle(metric.axis + " (log scale)")
                .build();
        CategoryStyler styler = chart.getStyler();
        // Always logarithmic, in whole decades, never from 0 (XChart's bars start at 0 unless told,
        // which a logarithmic axis refuses).
        styler.setYAxisLogarithmic(true);
        double[] axis = logAxis(range[1] > 0 ? range[0] : 1, range[1] > 0 ? range[1] : 10);
        styler.setYAxisMin(axis[0]);
        styler.setYAxisMax(axis[1]);
        styler.setXAxisLabelRotation(30);
        styler.setAvailableSpaceFill(0.8);
        styler.setOverlapped(false);
        // The axis's pattern is the bars' values' too: whole numbers unless a figure is below 10.
        styler.setYAxisDecimalPattern(range[0] >= 10 ? "#,##0" : "#,##0.##");
        styler.setLabelsVisible(true);
        styler.setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setLabelsFontColorAutomaticEnabled(false);
        styler.setLabelsFontColor(Color.BLACK);
        styler.setLabelsPosition(1.0);
        styler.setLabelsRotation(90);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xe0, 0xe0, 0xe0));
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setSeriesColors(new Color[] {OURS, JDK, CPYTHON});
        chart.addSeries("pyconcurrent", labels, ours);
        boolean loadRows = metric == Metric.THROUGHPUT || metric == Metric.SERVER_CPU
                || rows.stream().allMatch(r -> r.baseline() != null && r.baselineName().startsWith("Netty"));
        chart.addSeries(loadRows ? "Netty (JDK baseline)" : "JDK baseline", labels, jdk);
        boolean noCpython = cpython.stream().allMatch(Objects::isNull);
        chart.addSeries(noCpython ? "CPython (not measured here)" : "CPython", labels, cpython);
        return chart;
    }

    /** {@code label} without the parts that name {@code metric}. */
    static String shortLabel(String label, Metric metric) {
        List<String> kept = Stream.of(label.split(", ")).filter(p -> !metric.named(p)).toList();
        return kept.isEmpty() ? label : String.join(", ", kept);
    }

    /** A figure to draw, or null (XChart draws no bar for null) when missing or not in {@code metric}'s unit. */
    private static Double figure(Measurement m, Metric metric) {
        return m == null || !metric.unit.equals(m.unit()) || !(m.score() > 0) ? null : m.score();
    }
}
