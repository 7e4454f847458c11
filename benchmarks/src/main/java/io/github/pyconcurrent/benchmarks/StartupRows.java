package io.github.pyconcurrent.benchmarks;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The multiprocessing group's startup rows (issue 16): what a child JVM costs from {@code start()}
 * to {@code join()}, the floor it cannot go below, and what an idle worker keeps, each beside its
 * CPython twin from {@code process_bench.py} in the same run. Measured by {@link StartupProbe} in
 * JVMs of their own (one per start method, one for the floor); the definitions are there. The JDK
 * column of every row is the floor: a bare {@code java -cp <dir> Hello} ({@code bare_jvm_hello}),
 * its whole-process time for the time rows and its peak RSS for the memory row.
 *
 * <p>{@link #goals} reads the goals off the rows (ours / CPython or ours / floor, same run),
 * printed under the table and written into {@code table.md}. Whole operations, not JMH
 * microbenchmarks: five repeats, medians. Left out of {@code --smoke} (as the memory rows are).
 */
final class StartupRows {
    static final String CLASS = "io.github.pyconcurrent.benchmarks.multiprocessing.Startup.";

    /** The probe's keys, which are also the rows' names (after {@link #CLASS}). */
    static final String FORKSERVER_P50 = "process_start_join_forkserver_p50";
    static final String FORKSERVER_P95 = "process_start_join_forkserver_p95";
    static final String SPAWN_P50 = "process_start_join_spawn_p50";
    static final String SPAWN_P95 = "process_start_join_spawn_p95";
    static final String POOL2 = "pool2_create_close_join";
    static final String WORKER_RSS = "worker_rss_idle";
    static final String HELLO = "bare_jvm_hello";
    static final String HELLO_RSS = "bare_jvm_hello_peak_rss";

    /** CPython's keys ({@code process_bench.py}). */
    static String cpythonStartJoin(String context, int percentile) {
        return "multiprocessing.Process start+join, " + context + ", p" + percentile + " of 20";
    }

    /** Followed by the name of the default context the script's Pool ran with ({@code fork} on Linux before 3.14). */
    static final String CPY_POOL2_PREFIX = "multiprocessing.Pool(2) create+apply+close+join, default context ";
    static final String CPY_WORKER_RSS = "multiprocessing.Pool(1) idle worker RSS bytes after 200 applies";
    static final String CPY_HELLO = "python3 -c print(1), whole process";
    static final String CPY_HELLO_RSS = "python3 -c print(1), peak RSS bytes";

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    /** A row: its name, label, unit, the row whose figure is its JDK column (or null) and CPython's key. */
    private record Spec(String name, String label, String unit, String floor, String cpython) {
    }

    private static final String START_JOIN = "Process start + join (20 in a row), ";
    private static final List<Spec> SPECS = List.of(
            new Spec(FORKSERVER_P50, START_JOIN + "forkserver, p50", NanosPerOp.UNIT, HELLO,
                    cpythonStartJoin("forkserver", 50)),
            new Spec(FORKSERVER_P50, START_JOIN + "forkserver, p50, vs CPython fork", NanosPerOp.UNIT, HELLO,
                    cpythonStartJoin("fork", 50)),
            new Spec(FORKSERVER_P95, START_JOIN + "forkserver, p95", NanosPerOp.UNIT, HELLO,
                    cpythonStartJoin("forkserver", 95)),
            new Spec(SPAWN_P50, START_JOIN + "spawn, p50", NanosPerOp.UNIT, HELLO, cpythonStartJoin("spawn", 50)),
            new Spec(SPAWN_P95, START_JOIN + "spawn, p95", NanosPerOp.UNIT, HELLO, cpythonStartJoin("spawn", 95)),
            new Spec(POOL2, "Pool(2) create + apply + close + join", NanosPerOp.UNIT, HELLO, CPY_POOL2_PREFIX),
            new Spec(WORKER_RSS, "memory: RSS of one idle Pool(1) worker after 200 applies", MemoryRows.UNIT,
                    HELLO_RSS, CPY_WORKER_RSS),
            new Spec(HELLO, "bare JVM: java -cp <dir> Hello, whole process (CPython: python3 -c print(1))",
                    NanosPerOp.UNIT, null, CPY_HELLO),
            new Spec(HELLO_RSS, "memory: bare JVM Hello, peak RSS (CPython: python3 -c print(1))", MemoryRows.UNIT,
                    null, CPY_HELLO_RSS));

    /**
     * A goal of issue 16: the ratio of a row (its first, by {@link #SPECS}' order) to its CPython
     * column ({@code toCpython}) or to its JDK column, the floor, at most {@code limit}.
     */
    record Goal(String row, String what, boolean toCpython, double limit) {
    }

    static final List<Goal> GOALS = List.of(
            new Goal(FORKSERVER_P50, "forkserver start+join p50 / CPython forkserver", true, 1.0),
            new Goal(SPAWN_P50, "spawn start+join p50 / CPython spawn", true, 1.5),
            new Goal(SPAWN_P50, "spawn start+join p50 / bare_jvm_hello", false, 2.0),
            new Goal(POOL2, "Pool(2) create+apply+close+join / CPython", true, 2.0),
            new Goal(WORKER_RSS, "idle worker RSS / bare_jvm_hello peak RSS", false, 1.3));

    /**
     * A goal read off the table.
     *
     * @param ratio ours / other, NaN when either was not measured
     */
    record GoalResult(Goal goal, Measurement ours, Measurement other, double ratio) {
        /** Whether the goal holds; false when it could not be measured. */
        boolean met() {
            return !Double.isNaN(ratio) && ratio <= goal.limit();
        }
    }

    private StartupRows() {}

    /** Every row's JMH-style name, for {@code --include} and {@code --list}. */
    static List<String> names() {
        return SPECS.stream().map(s -> CLASS + s.name()).distinct().toList();
    }

    /**
     * Whether the rows are measured: not in the smoke run; with the multiprocessing group, or when
     * an {@code --include} names one of them (e.g. {@code --include Startup}).
     */
    static boolean wanted(Collection<String> packages, CompareOptions options) {
        return !options.smoke() && (packages.contains("multiprocessing") || namedBy(options.includes()));
    }

    /** Whether one of {@code includes} selects a startup row by its name. */
    static boolean namedBy(List<Pattern> includes) {
        return includes.stream().anyMatch(p -> names().stream().anyMatch(n -> p.matcher(n).find()));
    }

    /**
     * Runs the probe's three JVMs one after the other and returns what they gave: the floor between
     * the two start methods, next to the spawn rows whose goal is a ratio to it (on a shared
     * machine the load drifts over the minutes these take).
     */
    static Map<String, Double> measure(PrintStream log) {
        Map<String, Double> figures = new LinkedHashMap<>();
        for (String mode : List.of("forkserver", "hello", "spawn")) {
            long start = System.nanoTime();
            Map<String, Double> some = ChildJvm.figures(StartupProbe.class, List.of(mode), TIMEOUT,
                    "startup rows (" + mode + ")", log);
            figures.putAll(some);
            log.printf(Locale.ROOT, "startup rows: %s: %d figures in %.1f s%n", mode, some.size(),
                    (System.nanoTime() - start) / 1e9);
        }
        return figures;
    }

    /** The rows from the probe's figures and CPython's; a missing figure shows as missing. */
    static List<ComparisonRow> rows(Map<String, Double> ours, Map<String, Double> cpython) {
        List<ComparisonRow> rows = new ArrayList<>();
        for (Spec s : SPECS) {
            String label = s.label();
            Double python = cpython.get(s.cpython());
            String cpythonKey = s.cpython();
            if (s.cpython().equals(CPY_POOL2_PREFIX)) {
                // The script names the context its Pool ran with: the label says which.
                Map.Entry<String, Double> found = cpython.entrySet().stream()
                        .filter(e -> e.getKey().startsWith(CPY_POOL2_PREFIX)).findFirst().orElse(null);
                python = found == null ? null : found.getValue();
                cpythonKey = found == null ? CPY_POOL2_PREFIX.strip() : found.getKey();
                label += found == null ? "" : " (CPython: default context, "
                        + found.getKey().substring(CPY_POOL2_PREFIX.length()) + ")";
            }
            rows.add(new ComparisonRow(CLASS + s.name(), label, m(ours.get(s.name()), s.unit()),
                    s.floor() == null ? null : CLASS + s.floor(),
                    s.floor() == null ? null : m(ours.get(s.floor()), s.unit()), cpythonKey, m(python, s.unit())));
        }
        return rows;
    }

    /** Each goal of {@link #GOALS} read off {@code rows} (the first row of its name). */
    static List<GoalResult> goals(List<ComparisonRow> rows) {
        List<GoalResult> results = new ArrayList<>();
        for (Goal g : GOALS) {
            ComparisonRow row = rows.stream().filter(r -> r.benchmark().equals(CLASS + g.row())).findFirst().orElse(null);
            if (row == null) {
                continue;
            }
            results.add(new GoalResult(g, row.ours(), g.toCpython() ? row.cpython() : row.jdk(),
                    g.toCpython() ? row.ratioToCpython() : row.ratioToJdk()));
        }
        return results;
    }

    /** The goals as aligned text lines, for the console. */
    static String goalsText(List<GoalResult> goals) {
        StringBuilder out = new StringBuilder("startup goals (issue 16), ours / other in this run:").append(System.lineSeparator());
        for (GoalResult g : goals) {
            out.append(String.format(Locale.ROOT, "  %-46s %8s  (goal <= %.1fx)  %s%n", g.goal().what(),
                    ComparisonTable.formatRatio(g.ratio()), g.goal().limit(), verdict(g)));
        }
        return out.toString();
    }

    /** The goals as a markdown table, for {@code table.md}. */
    static String goalsMarkdown(List<GoalResult> goals) {
        StringBuilder out = new StringBuilder("### startup goals (issue 16)\n\n"
                + "| goal | ours | other | ratio | limit | |\n|---|---:|---:|---:|---:|---|\n");
        for (GoalResult g : goals) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | <= %.1fx | %s |%n", g.goal().what(),
                    figure(g.ours()), figure(g.other()), ComparisonTable.formatRatio(g.ratio()), g.goal().limit(),
                    verdict(g)));
        }
        return out.append('\n').toString();
    }

    private static String verdict(GoalResult g) {
        return Double.isNaN(g.ratio()) ? "not measured" : g.met() ? "met" : "not met";
    }

    /** A figure as it reads: ms for a time, MiB for a size. */
    private static String figure(Measurement m) {
        if (m == null) {
            return ComparisonTable.MISSING;
        }
        return MemoryRows.UNIT.equals(m.unit()) ? String.format(Locale.ROOT, "%.1f MiB", m.score() / (1 << 20))
                : String.format(Locale.ROOT, "%.1f ms", m.score() / 1e6);
    }

    private static Measurement m(Double value, String unit) {
        return value == null || value.isNaN() || value.isInfinite() ? null : new Measurement(value, unit);
    }
}
