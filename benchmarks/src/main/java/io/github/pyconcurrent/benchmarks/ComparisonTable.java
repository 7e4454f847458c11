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
 * ours is faster. A benchmark with several {@code @Versus} gets a row for each.
 */
final class ComparisonTable {
    /** What an absent score or ratio prints as. */
    static final String MISSING = "—";

    private static final List<String> HEADERS = List.of(
            "primitive", "ours", "unit", "JDK baseline", "JDK", "ours/JDK", "CPython", "ours/CPython");

    private final List<ComparisonRow> rows;

    private ComparisonTable(List<ComparisonRow> rows) {
        this.rows = List.copyOf(rows);
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
        // By class, then ours before the stand-alone JDK extras, then by name (a benchmark's
        // several rows keep the order of its @Versus: the sort is stable).
        rows.sort(Comparator.comparing((ComparisonRow r) -> classOf(benchmarkOf(r.benchmark())))
                .thenComparing(r -> r.baseline() == null)
                .thenComparing(ComparisonRow::benchmark));
        return new ComparisonTable(rows);
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

    /** The table as aligned plain text, one line per row, headers first. */
    String toText() {
        List<List<String>> cells = cells();
        int[] widths = new int[HEADERS.size()];
        for (List<String> line : cells) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < cells.size(); n++) {
            List<String> line = cells.get(n);
            for (int i = 0; i < line.size(); i++) {
                String cell = line.get(i);
                // Labels and names read left-aligned, numbers right-aligned.
                boolean left = i == 0 || i == 2 || i == 3;
                String pad = " ".repeat(widths[i] - cell.length());
                out.append(left ? cell + pad : pad + cell).append(i + 1 < line.size() ? "  " : "");
            }
            out.append(System.lineSeparator());
            if (n == 0) {
                int total = Arrays.stream(widths).sum() + 2 * (widths.length - 1);
                out.append("-".repeat(total)).append(System.lineSeparator());
            }
        }
        return out.toString();
    }

    /** The table as a GitHub markdown table. */
    String toMarkdown() {
        List<List<String>> cells = cells();
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < cells.size(); n++) {
            out.append("| ").append(String.join(" | ", cells.get(n).stream()
                    .map(c -> c.replace("|", "\\|")).toList())).append(" |\n");
            if (n == 0) {
                out.append("|---|---:|---|---|---:|---:|---:|---:|\n");
            }
        }
        return out.toString();
    }

    /** The table as CSV with unrounded numbers (empty where absent), headers first. */
    String toCsv() {
        StringBuilder out = new StringBuilder(
                "benchmark,label,ours,unit,jdk_baseline,jdk,ours_per_jdk,cpython_key,cpython,ours_per_cpython\n");
        for (ComparisonRow r : rows) {
            out.append(String.join(",",
                    csv(r.benchmark()), csv(r.label()), raw(r.ours() == null ? Double.NaN : r.ours().score()),
                    csv(r.ours() == null ? "" : r.ours().unit()), csv(r.baseline() == null ? "" : r.baseline()),
                    raw(r.jdk() == null ? Double.NaN : r.jdk().score()), raw(r.ratioToJdk()),
                    csv(r.cpythonKey()), raw(r.cpython() == null ? Double.NaN : r.cpython().score()),
                    raw(r.ratioToCpython()))).append('\n');
        }
        return out.toString();
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

    private List<List<String>> cells() {
        List<List<String>> cells = new ArrayList<>();
        cells.add(HEADERS);
        for (ComparisonRow r : rows) {
            cells.add(List.of(
                    r.label(),
                    r.ours() == null ? "failed" : formatScore(r.ours().score()),
                    r.ours() == null ? "" : r.ours().unit(),
                    r.baselineName(),
                    r.baseline() == null ? "" : score(r.jdk()),
                    r.baseline() == null ? "" : formatRatio(r.ratioToJdk()),
                    r.cpythonKey().isEmpty() && r.baseline() == null ? "" : score(r.cpython()),
                    r.cpythonKey().isEmpty() && r.baseline() == null ? "" : formatRatio(r.ratioToCpython())));
        }
        return cells;
    }

    private static String score(Measurement m) {
        return m == null ? MISSING : formatScore(m.score());
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
