package io.github.pyconcurrent.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The comparison table: one row per benchmark of ours with its JDK baseline and CPython twin
 * beside it, plus a row for each JDK benchmark that is nobody's baseline (an extra reference such
 * as {@code synchronized}). Renders as aligned text, markdown and CSV.
 *
 * <p>Every score is a median in ns/op (see {@link Measurement}), or the percentile a
 * {@link Versus#percentile()} names; every ratio is ours divided by the other, so below 1 means
 * ours is faster. A benchmark with several {@code @Versus} gets a row for each. The CPython column
 * is also given as a speed-up that reads on its own ({@code 4.4x faster}). Rows come grouped by
 * module ({@link BenchGroup}), in a fixed order, rows for context only (no pairing) last in each.
 */
final class ComparisonTable {
    /** What an absent score or ratio prints as. */
    static final String MISSING = "—";

    private static final List<String> HEADERS = List.of(
            "primitive", "ours", "unit", "JDK baseline", "JDK", "ours/JDK", "CPython", "vs CPython");

    private final List<ComparisonRow> rows;
    /** An earlier run's scores by {@link #rowKey}, or {@code null} for no change column. */
    private final Map<String, Measurement> previous;
    private final String previousName;

    private ComparisonTable(List<ComparisonRow> rows, Map<String, Measurement> previous, String previousName) {
        this.rows = List.copyOf(rows);
        this.previous = previous;
        this.previousName = previousName;
    }

    /**
     * Builds the table.
     *
     * @param ran     every benchmark that was run (those without a result show as failed)
     * @param results the measurement of each benchmark that produced one
     * @param catalog where the pairings come from
     * @param cpython the CPython scripts' figures in ns/op by key (empty when none ran)
     */
    static ComparisonTable build(Collection<String> ran, Map<String, Measurement> results,
                                 VersusCatalog catalog, Map<String, Double> cpython) {
        Map<String, List<String>> resultsByBenchmark = new HashMap<>();
        for (String key : results.keySet()) {
            resultsByBenchmark.computeIfAbsent(benchmarkOf(key), k -> new ArrayList<>()).add(key);
        }
        Set<String> baselinesInUse = new HashSet<>();
        for (String benchmark : ran) {
            catalog.pairingsOf(benchmark).forEach(p -> baselinesInUse.add(p.jdkBaseline()));
        }
        List<ComparisonRow> rows = new ArrayList<>();
        for (String benchmark : ran) {
            List<Pairing> pairings = catalog.pairingsOf(benchmark);
            if (pairings.isEmpty() && baselinesInUse.contains(benchmark)) {
                continue;   // shown beside the benchmarks it is the baseline of
            }
            // A benchmark without a result still gets its row, which shows it failed.
            for (String key : resultsByBenchmark.getOrDefault(benchmark, List.of(benchmark))) {
                String params = key.substring(benchmark.length());
                for (Pairing p : pairings) {
                    Double python = cpython.get(p.cpythonKey());
                    // The baseline with the same @Param values if it has them, else its only result.
                    Measurement jdk = results.getOrDefault(p.jdkBaseline() + params, results.get(p.jdkBaseline()));
                    rows.add(new ComparisonRow(key, p.label() + params, at(results.get(key), p.percentile()),
                            p.jdkBaseline(), at(jdk, p.percentile()), p.cpythonKey(),
                            python == null ? null : Measurement.nanos(python)));
                }
                if (pairings.isEmpty()) {
                    rows.add(new ComparisonRow(key, VersusCatalog.defaultLabel(benchmark) + params,
                            results.get(key), null, null, "", null));
                }
            }
        }
        // A fixed order: by group (module), the paired rows before those for context only, then
        // by class and name (a benchmark's several rows keep the order of its @Versus: the sort
        // is stable).
        rows.sort(ORDER);
        return new ComparisonTable(rows, null, null);
    }

    private static final Comparator<ComparisonRow> ORDER = Comparator.comparing(ComparisonRow::group)
            .thenComparing(ComparisonRow::contextOnly)
            .thenComparing(r -> r.ours() != null && MemoryRows.UNIT.equals(r.ours().unit()))
            .thenComparing(r -> classOf(benchmarkOf(r.benchmark())))
            .thenComparing(ComparisonRow::benchmark);

    /** This table with {@code more} rows (e.g. the memory rows), each in its place. */
    ComparisonTable with(List<ComparisonRow> more) {
        List<ComparisonRow> all = new ArrayList<>(rows);
        all.addAll(more);
        all.sort(ORDER);
        return new ComparisonTable(all, previous, previousName);
    }

    private static Measurement at(Measurement m, double percentile) {
        return m == null ? null : m.at(percentile);
    }

    /**
     * The key of a result: the benchmark's name, followed by {@code " [name=value, ...]"} when it
     * has {@code @Param}s, so each combination gets its own row.
     */
    static String resultKey(String benchmark, Map<String, String> params) {
        if (params.isEmpty()) {
            return benchmark;
        }
        StringBuilder key = new StringBuilder(benchmark).append(" [");
        params.forEach((name, value) -> key.append(key.charAt(key.length() - 1) == '[' ? "" : ", ")
                .append(name).append('=').append(value));
        return key.append(']').toString();
    }

    private static String benchmarkOf(String key) {
        int bracket = key.indexOf(" [");
        return bracket < 0 ? key : key.substring(0, bracket);
    }

    List<ComparisonRow> rows() {
        return rows;
    }

    /**
     * This table with a "change" column: each row's score against {@code previous}'s row of the
     * same benchmark and label ({@code ./run bench --compare DIR}).
     *
     * @param previous the earlier run's scores by {@link #rowKey}, in ns/op or their own unit
     * @param name     what to call the earlier run in the column's header
     */
    ComparisonTable since(Map<String, Measurement> previous, String name) {
        return new ComparisonTable(rows, Map.copyOf(previous), name);
    }

    /** The key that finds a row of another run: its benchmark and its label. */
    static String rowKey(String benchmark, String label) {
        return benchmark + "\u0000" + label;
    }

    /** The groups that have rows, in report order. */
    List<BenchGroup> groups() {
        return rows.stream().map(ComparisonRow::group).distinct().sorted().toList();
    }

    /**
     * The table as aligned plain text: per group, a heading, the paired rows, then the rows that
     * are there for context only (raw floors, baselines run alone) under a line of their own.
     */
    String toText() {
        List<String> headers = headers();
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        rows.forEach(r -> all.add(cells(r)));
        int[] widths = new int[headers.size()];
        for (List<String> line : all) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        int total = Arrays.stream(widths).sum() + 2 * (widths.length - 1);
        String nl = System.lineSeparator();
        StringBuilder out = new StringBuilder();
        for (BenchGroup group : groups()) {
            out.append(nl).append("== ").append(group.heading()).append(" ==").append(nl);
            out.append(textLine(headers, widths)).append(nl).append("-".repeat(total)).append(nl);
            boolean contextShown = false;
            for (ComparisonRow r : rowsOf(group)) {
                if (r.contextOnly() && !contextShown) {
                    out.append("  for context (unpaired: JDK extras, raw floors):").append(nl);
                    contextShown = true;
                }
                out.append(textLine(cells(r), widths)).append(nl);
            }
        }
        return out.toString();
    }

    private static String textLine(List<String> line, int[] widths) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < line.size(); i++) {
            String cell = line.get(i);
            // Labels and names read left-aligned, numbers right-aligned.
            boolean left = i == 0 || i == 2 || i == 3;
            String pad = " ".repeat(widths[i] - cell.length());
            out.append(left ? cell + pad : pad + cell).append(i + 1 < line.size() ? "  " : "");
        }
        return out.toString().stripTrailing();
    }

    /** The table as GitHub markdown: a heading and a table per group, context rows in a table after. */
    String toMarkdown() {
        StringBuilder out = new StringBuilder();
        for (BenchGroup group : groups()) {
            out.append("### ").append(group.heading()).append("\n\n");
            List<ComparisonRow> paired = rowsOf(group).stream().filter(r -> !r.contextOnly()).toList();
            List<ComparisonRow> context = rowsOf(group).stream().filter(ComparisonRow::contextOnly).toList();
            if (!paired.isEmpty()) {
                markdownTable(out, paired);
            }
            if (!context.isEmpty()) {
                out.append("For context (unpaired: JDK extras, raw floors):\n\n");
                markdownTable(out, context);
            }
        }
        return out.toString();
    }

    private void markdownTable(StringBuilder out, List<ComparisonRow> some) {
        List<String> headers = headers();
        out.append(markdownLine(headers));
        out.append("|---|---:|---|---|---:|---:|---:|---:|").append(previous == null ? "" : "---:|").append('\n');
        some.forEach(r -> out.append(markdownLine(cells(r))));
        out.append('\n');
    }

    private static String markdownLine(List<String> cells) {
        return "| " + String.join(" | ", cells.stream().map(c -> c.replace("|", "\\|")).toList()) + " |\n";
    }

    /** The table as CSV with unrounded numbers (empty where absent), headers first. */
    String toCsv() {
        StringBuilder out = new StringBuilder("benchmark,label,ours,unit,jdk_baseline,jdk,ours_per_jdk,"
                + "cpython_key,cpython,ours_per_cpython,group\n");
        for (ComparisonRow r : rows) {
            out.append(String.join(",",
                    csv(r.benchmark()), csv(r.label()), raw(r.ours() == null ? Double.NaN : r.ours().score()),
                    csv(r.ours() == null ? "" : r.ours().unit()), csv(r.baseline() == null ? "" : r.baseline()),
                    raw(r.jdk() == null ? Double.NaN : r.jdk().score()), raw(r.ratioToJdk()),
                    csv(r.cpythonKey()), raw(r.cpython() == null ? Double.NaN : r.cpython().score()),
                    raw(r.ratioToCpython()), r.group().fileName())).append('\n');
        }
        return out.toString();
    }

    /**
     * Reads the scores of a table written by {@link #toCsv()} (of this or an earlier version), by
     * {@link #rowKey}; rows without a score are left out.
     */
    static Map<String, Measurement> readCsv(List<String> lines) {
        Map<String, Measurement> scores = new HashMap<>();
        if (lines.isEmpty()) {
            return scores;
        }
        List<String> header = Csv.split(lines.get(0));
        int benchmark = header.indexOf("benchmark");
        int label = header.indexOf("label");
        int ours = header.indexOf("ours");
        int unit = header.indexOf("unit");
        if (benchmark < 0 || label < 0 || ours < 0 || unit < 0) {
            throw new IllegalArgumentException("not a benchmark table (no benchmark,label,ours,unit columns)");
        }
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = Csv.split(line);
            if (cells.size() <= Math.max(Math.max(benchmark, label), Math.max(ours, unit))
                    || cells.get(ours).isEmpty()) {
                continue;
            }
            try {
                scores.put(rowKey(cells.get(benchmark), cells.get(label)),
                        new Measurement(Double.parseDouble(cells.get(ours)), cells.get(unit)));
            } catch (NumberFormatException e) {
                // a damaged row: it just shows no change
            }
        }
        return scores;
    }

    /** Formats a score for reading: about three significant figures, {@link #MISSING} if absent. */
    static String formatScore(double score) {
        if (Double.isNaN(score)) {
            return MISSING;
        }
        if (score >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", score);
        }
        if (score >= 100) {
            return String.format(Locale.ROOT, "%.0f", score);
        }
        return String.format(Locale.ROOT, score >= 10 ? "%.1f" : "%.2f", score);
    }

    /** Formats a ratio as {@code 1.23x} (two significant figures or more), {@link #MISSING} if absent. */
    static String formatRatio(double ratio) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return MISSING;
        }
        String pattern = ratio >= 100 ? "%.0fx" : ratio >= 10 ? "%.1fx" : ratio >= 0.1 ? "%.2fx" : "%.3fx";
        return String.format(Locale.ROOT, pattern, ratio);
    }

    private List<String> headers() {
        List<String> headers = new ArrayList<>(HEADERS);
        if (previous != null) {
            headers.add("since " + previousName);
        }
        return headers;
    }

    private List<ComparisonRow> rowsOf(BenchGroup group) {
        return rows.stream().filter(r -> r.group() == group).toList();
    }

    private List<String> cells(ComparisonRow r) {
        // A memory row's three figures read in one binary unit picked by ours (bytes stay in the CSV).
        double scale = 1;
        String unit = r.ours() == null ? "" : r.ours().unit();
        if (r.ours() != null && MemoryRows.UNIT.equals(unit)) {
            unit = memoryUnit(r.ours().score());
            scale = unitBytes(unit);
        }
        List<String> cells = new ArrayList<>(List.of(
                r.label(),
                r.ours() == null ? "failed" : formatScore(r.ours().score() / scale),
                unit,
                r.baselineName(),
                r.baseline() == null ? "" : score(r.jdk(), scale),
                r.baseline() == null ? "" : formatRatio(r.ratioToJdk()),
                r.cpythonKey().isEmpty() && r.baseline() == null ? "" : score(r.cpython(), scale),
                r.cpythonKey().isEmpty() && r.baseline() == null ? "" : worded(r, formatSpeedup(higherIsBetter(r)
                        ? 1 / r.ratioToCpython() : r.ratioToCpython()))));
        if (previous != null) {
            Measurement before = previous.get(rowKey(r.benchmark(), r.label()));
            double change = r.ours() == null ? Double.NaN : r.ours().ratioTo(before);
            cells.add(r.ours() == null || before == null ? MISSING
                    : worded(r, formatChange(higherIsBetter(r) ? 1 / change : change)));
        }
        return cells;
    }

    /**
     * A memory row (bytes) reads smaller/larger where a time reads faster/slower, a CPU-time row
     * less/more CPU; a throughput row ({@link LoadRows#RATE}) reads faster/slower too, its ratio
     * turned over by the caller, since there more is better.
     */
    private static String worded(ComparisonRow r, String text) {
        String unit = r.ours() == null ? "" : r.ours().unit();
        if (MemoryRows.UNIT.equals(unit)) {
            return text.replace(" faster", " smaller").replace(" slower", " larger");
        }
        if (LoadRows.CPU.equals(unit)) {
            return text.replace(" faster", " less CPU").replace(" slower", " more CPU");
        }
        return text;
    }

    /** Whether a larger score is the better one (a rate, req/s): its speed-up words read the ratio turned over. */
    private static boolean higherIsBetter(ComparisonRow r) {
        return r.ours() != null && LoadRows.RATE.equals(r.ours().unit());
    }

    /**
     * Formats ours / other as a speed-up that reads on its own: {@code 4.4x faster},
     * {@code 1.3x slower}, {@code same} within 5%; {@link #MISSING} if absent.
     */
    static String formatSpeedup(double ratio) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio) || ratio <= 0) {
            return MISSING;
        }
        if (ratio > 1 / 1.05 && ratio < 1.05) {
            return "same";
        }
        double factor = ratio < 1 ? 1 / ratio : ratio;
        String pattern = factor >= 100 ? "%,.0fx" : factor >= 10 ? "%.0fx" : "%.1fx";
        return String.format(Locale.ROOT, pattern, factor) + (ratio < 1 ? " faster" : " slower");
    }

    /**
     * Formats now / before as a change: {@code 12% faster}, {@code 8% slower}, {@code same}
     * within 2%, and as a factor beyond 2x ({@code 3.1x slower}); {@link #MISSING} if absent.
     */
    static String formatChange(double ratio) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio) || ratio <= 0) {
            return MISSING;
        }
        if (ratio > 0.98 && ratio < 1.02) {
            return "same";
        }
        if (ratio <= 0.5 || ratio >= 2) {
            return formatSpeedup(ratio);
        }
        double percent = ratio < 1 ? (1 / ratio - 1) * 100 : (ratio - 1) * 100;
        return String.format(Locale.ROOT, "%.0f%%", percent) + (ratio < 1 ? " faster" : " slower");
    }

    private static String score(Measurement m, double scale) {
        return m == null ? MISSING : formatScore(m.score() / scale);
    }

    /** The unit a memory figure of {@code bytes} reads best in: {@code bytes}, {@code KiB} or {@code MiB}. */
    static String memoryUnit(double bytes) {
        return bytes >= 1 << 20 ? "MiB" : bytes >= 1 << 10 ? "KiB" : MemoryRows.UNIT;
    }

    private static double unitBytes(String unit) {
        return switch (unit) {
            case "MiB" -> 1 << 20;
            case "KiB" -> 1 << 10;
            default -> 1;
        };
    }

    private static String raw(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String csv(String field) {
        return field.contains(",") || field.contains("\"") || field.contains("\n")
                ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    private static String classOf(String benchmark) {
        int dot = benchmark.lastIndexOf('.');
        return dot < 0 ? "" : benchmark.substring(0, dot);
    }
}
