package io.github.pyconcurrent.benchmarks;

import io.github.pyconcurrent.runtime.JvmFlags;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The benchmarks' main job ({@code ./run bench}): runs the JMH benchmarks and their CPython twins
 * and prints each primitive of ours beside its JDK baseline and CPython, as medians in ns/op with
 * ratios (below 1 = ours faster), grouped by module. Each run writes its report to
 * {@code bench-results/<date-time>/} (JMH's JSON, the CPython figures, the table as markdown,
 * CSV and text, a PNG chart per module, see {@link BenchCharts}) and points
 * {@code bench-results/latest} at it; memory rows come from {@link MemoryRows}, the multiprocessing
 * group's startup rows and their goals from {@link StartupRows}. Options:
 * {@link CompareOptions#USAGE}.
 *
 * <p>What pairs with what is read from the benchmark classes' {@link Versus} annotations; every
 * JMH fork gets {@link JvmFlags#flags()} (as {@code jvmArgsPrepend}, so a class's own
 * {@code @Fork(jvmArgsAppend = ...)} still applies), so no flag is written here. A benchmark
 * with {@code @Param}s gets a row per combination, beside the baseline's row with the same values
 * when the baseline has them.
 *
 * <pre>
 * ./run bench                          # quick pass of everything, about a minute per module
 * ./run bench --include threading      # only the threading benchmarks (and their baselines)
 * ./run bench --full                   # a proper measurement, on a quiet machine
 * </pre>
 */
public final class Compare {
    /** A script slower than this is stuck: it is killed and its column left empty. */
    private static final Duration CPYTHON_SCRIPT_TIMEOUT = Duration.ofMinutes(4);

    private final CompareOptions options;
    private final PrintStream out;
    /** What the CPython column was measured with, for the written table's header. */
    private String cpythonNote = "CPython not run";
    /** This run's directory name under the results directory: its date and time. */
    private final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));

    private Compare(CompareOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Entry point of {@code benchmarks.jar}; exits 0 when every selected benchmark produced a score. */
    public static void main(String[] args) {
        // The charts are drawn with Java2D: never ask for a display (CI machines have none).
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        CompareOptions options;
        try {
            options = CompareOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(CompareOptions.USAGE);
            return;
        }
        System.exit(new Compare(options, System.out).run());
    }

    private int run() {
        VersusCatalog catalog = new VersusCatalog(Compare.class.getClassLoader());
        Set<String> known = knownBenchmarks();
        Set<String> selected = VersusCatalog.select(known, options.includes());
        // An --include naming only startup rows (not JMH benchmarks) runs just those.
        boolean startupOnly = selected.isEmpty() && !options.smoke() && StartupRows.namedBy(options.includes());
        if (selected.isEmpty() && !startupOnly) {
            out.println("No benchmark matches " + options.includes().stream().map(Pattern::pattern).toList()
                    + "; --list shows them all.");
            return 1;
        }
        Set<String> toRun = new TreeSet<>();
        for (String benchmark : catalog.withBaselines(selected)) {
            if (known.contains(benchmark)) {
                toRun.add(benchmark);
            } else {
                out.println("warning: a @Versus names the JDK baseline " + benchmark + ", which is no benchmark");
            }
        }
        if (options.list()) {
            list(toRun, catalog);
            return 0;
        }
        Map<String, Measurement> previous = null;
        String previousName = null;
        if (options.compareWith() != null) {
            Path earlier = previousTable(Path.of(options.compareWith()));
            try {
                previous = ComparisonTable.readCsv(Files.readAllLines(earlier, StandardCharsets.UTF_8));
                previousName = runName(earlier);
            } catch (IOException | IllegalArgumentException e) {
                out.println("--compare: cannot read " + earlier + " (" + e.getMessage() + ")");
                return 2;
            }
        }
        Path runDir = Path.of(options.resultsDir()).resolve(stamp);
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            out.println("cannot create " + runDir + ": " + e.getMessage());
            return 1;
        }
        out.println("pyconcurrent benchmarks: " + toRun.size() + " on JDK " + Runtime.version() + ", "
                + options.budget() + (options.smoke() ? " (smoke run: checks the job works, measures nothing)" : ""));
        List<Pairing> twins = toRun.stream().map(catalog::pairingsOf).flatMap(List::stream)
                .filter(Pairing::hasCpythonTwin).toList();
        Set<String> packages = toRun.stream().map(BenchGroup::packageOf).collect(java.util.stream.Collectors.toSet());
        Set<String> twinPackages = twins.stream().map(p -> BenchGroup.packageOf(p.benchmark()))
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        if (!options.smoke()) {
            MemoryRows.packages().stream().filter(packages::contains).forEach(twinPackages::add);
        }
        boolean startup = StartupRows.wanted(packages, options);
        if (startup) {
            twinPackages.add("multiprocessing");   // process_bench.py has the startup rows' twins
        }
        CpythonTwins.Figures cpython = options.cpython() && !twinPackages.isEmpty()
                ? cpythonFigures(twinPackages) : CpythonTwins.Figures.NONE;
        if (!cpython.figures().isEmpty() && cpython.hints().isEmpty()) {
            // A key typed differently on the two sides would otherwise just show as "—".
            twins.stream().filter(p -> !cpython.figures().containsKey(p.cpythonKey()))
                    .forEach(p -> out.println("CPython: no script printed \"" + p.cpythonKey() + "\" (named by "
                            + p.benchmark() + ")"));
        }
        Map<String, Measurement> results;
        try {
            results = toRun.isEmpty() ? Map.of() : runJmh(toRun, runDir.resolve("jmh.json"));
        } catch (RunnerException e) {
            out.println("JMH failed: " + e.getMessage());
            if (String.valueOf(e.getMessage()).contains("jmh.lock")) {
                // JMH lets one run at a time per machine, so two runs do not skew each other.
                out.println("Another benchmark run is in progress: wait for it, or run anyway with "
                        + "JDK_JAVA_OPTIONS=-Djmh.ignoreLock=true ./run bench ...");
            }
            return 1;
        }
        ComparisonTable table = ComparisonTable.build(toRun, results, catalog, cpython.figures());
        if (!options.smoke() && MemoryRows.wanted(packages)) {
            out.println("memory rows: measuring in a JVM of their own ...");
            table = table.with(MemoryRows.rows(packages, MemoryRows.measure(out), cpython.figures()));
        }
        List<StartupRows.GoalResult> goals = List.of();
        if (startup) {
            out.println("startup rows: Process start + join, Pool create, idle worker and a bare JVM, in JVMs of their own ...");
            table = table.with(StartupRows.rows(StartupRows.measure(out), cpython.figures()));
            goals = StartupRows.goals(table.rows());
        }
        Map<String, Double> load = Map.of();
        if (LoadRows.wanted(packages, options)) {
            LoadRows.Budget budget = LoadRows.Budget.of(options);
            out.println("load rows: each server in a process of its own, one load client ...");
            load = LoadRows.measure(budget, loadPython(), out);
            table = table.with(LoadRows.rows(budget, load));
        }
        if (previous != null) {
            table = table.since(previous, previousName);
        }
        out.print(table.toText());
        out.println();
        out.println("medians of all iterations, ns/op (memory rows: bytes); ratio = ours / other (below 1 = ours faster)"
                + (load.isEmpty() ? "" : "; " + LOAD_NOTE)
                + (previous != null ? "; \"since\" = this run against " + previousName : ""));
        if (!goals.isEmpty()) {
            out.print(StartupRows.goalsText(goals));
        }
        boolean written = write(table, cpython, load, goals.isEmpty() ? "" : StartupRows.goalsMarkdown(goals), runDir);
        if (!cpython.hints().isEmpty()) {
            out.println("CPython rows missing for " + String.join(", ", cpython.hints().keySet())
                    + "; to add them: " + String.join("; ", new TreeSet<>(cpython.hints().values())));
        }
        List<String> failed = toRun.stream().filter(b -> results.keySet().stream()
                .noneMatch(key -> key.equals(b) || key.startsWith(b + " ["))).toList();
        if (!failed.isEmpty()) {
            out.println("no result (failed): " + failed);
            return 1;
        }
        return written ? 0 : 1;
    }

    /** How the load rows read, for the table's legend. */
    private static final String LOAD_NOTE = "load rows: req/s of one load client (above 1 = ours faster), the server's CPU"
            + " ns per request and bytes per idle connection (below 1 = ours less), JDK column = Netty";

    /** The interpreter for CPython's load servers: the first candidate, none with --no-cpython. */
    private CpythonTwins.Interpreter loadPython() {
        if (!options.cpython()) {
            return null;
        }
        return CpythonTwins.candidates(options.python()).stream().findFirst().orElse(null);
    }

    /** The table.csv of an earlier run given as its directory, a {@code latest} link or the file. */
    private Path previousTable(Path given) {
        Path path = Files.exists(given) ? given : Path.of(options.resultsDir()).resolve(given);
        return Files.isDirectory(path) ? path.resolve("table.csv") : path;
    }

    /** A short name for an earlier run: its directory's (the date-time) when it has one. */
    private static String runName(Path table) {
        try {
            Path real = table.toRealPath();
            Path parent = real.getParent();
            return real.getFileName().toString().equals("table.csv") && parent != null
                    ? parent.getFileName().toString() : real.getFileName().toString();
        } catch (IOException e) {
            return table.toString();
        }
    }

    private Map<String, Measurement> runJmh(Set<String> toRun, Path json) throws RunnerException {
        ChainedOptionsBuilder jmh = new OptionsBuilder()
                // JMH's own record of the run, every fork and iteration, beside our table.
                .result(json.toString())
                .resultFormat(ResultFormatType.JSON)
                .forks(options.forks())
                .warmupIterations(options.warmups())
                .warmupTime(TimeValue.milliseconds(options.warmupTime().toMillis()))
                .measurementIterations(options.iterations())
                .measurementTime(TimeValue.milliseconds(options.iterationTime().toMillis()))
                // A stuck benchmark (a ping-pong that lost its partner) is interrupted, not waited on.
                .timeout(TimeValue.seconds(30 + options.iterationTime().toSeconds()))
                // Prepended, not appended: an option set here replaces the same annotation
                // field, and benchmark classes use @Fork(jvmArgsAppend = ...) for their variants.
                .jvmArgsPrepend(forkFlags().toArray(String[]::new))
                .shouldFailOnError(false)
                .verbosity(options.verbose() ? VerboseMode.NORMAL : VerboseMode.SILENT);
        for (String benchmark : toRun) {
            jmh.include("^" + Pattern.quote(benchmark) + "$");
        }
        options.profilers().forEach(jmh::addProfiler);
        Runner runner = options.verbose() ? new Runner(jmh.build())
                : new Runner(jmh.build(), new ProgressFormat(out, toRun.size()));
        Map<String, Measurement> results = new LinkedHashMap<>();
        for (RunResult run : runner.run()) {
            List<Double> scores = new ArrayList<>();
            for (BenchmarkResult fork : run.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    scores.add(iteration.getPrimaryResult().getScore());
                }
            }
            if (!scores.isEmpty()) {
                String key = resultKey(run.getParams());
                String unit = run.getPrimaryResult().getScoreUnit();
                // A sampled benchmark's typical score is the median of all its samples (of every
                // fork: JMH merges their histograms), not the median of per-iteration means.
                Measurement measurement = run.getParams().getMode() == Mode.SampleTime
                        ? Measurement.ofSamples(p -> run.getPrimaryResult().getStatistics().getPercentile(p), unit)
                        : Measurement.ofIterations(scores, unit);
                // Several modes of one benchmark would share a key: only the last can be shown.
                if (results.put(key, measurement) != null) {
                    out.println("warning: " + key + " has several results (modes?); the table shows the last");
                }
            }
        }
        return results;
    }

    /**
     * The toolkit's flags for this JDK ({@link JvmFlags#flags()}: on JDK 24+ they include the one
     * JMH's harness also needs to run without a {@code sun.misc.Unsafe} warning on every fork).
     * The forks run the same JDK as this JVM.
     */
    static List<String> forkFlags() {
        return JvmFlags.flags();
    }

    /** {@link ComparisonTable#resultKey} of a JMH run. */
    static String resultKey(BenchmarkParams run) {
        Map<String, String> params = new TreeMap<>();
        for (Object name : run.getParamsKeys()) {
            params.put((String) name, run.getParam((String) name));
        }
        return ComparisonTable.resultKey(run.getBenchmark(), params);
    }

    /** Runs the CPython scripts that the benchmark {@code packages} need, each with an interpreter that can. */
    private CpythonTwins.Figures cpythonFigures(Set<String> packages) {
        if (CpythonTwins.scriptNames().isEmpty()) {
            return CpythonTwins.Figures.NONE;
        }
        List<CpythonTwins.Interpreter> candidates = CpythonTwins.candidates(options.python());
        if (candidates.isEmpty()) {
            cpythonNote = "no CPython interpreter found";
            out.println("CPython: no interpreter found (tried " + (options.python() != null ? options.python()
                    : "python3 on the PATH, /usr/bin/python3") + "); CPython column left empty"
                    + " (apt-get install python3 adds it)");
            return CpythonTwins.Figures.NONE;
        }
        out.println("CPython: candidates " + candidates.stream().map(Object::toString).toList());
        // The smoke run only checks the scripts work: one short repeat per figure.
        Map<String, String> env = options.smoke() ? Map.of("PYBENCH_REPEATS", "1", "PYBENCH_SECONDS", "0.005") : Map.of();
        CpythonTwins.Figures figures = CpythonTwins.runAll(candidates, packages, CPYTHON_SCRIPT_TIMEOUT, env, out);
        Map<String, List<String>> scriptsBy = new TreeMap<>();
        figures.interpreters().forEach((script, python) ->
                scriptsBy.computeIfAbsent(python.toString(), k -> new ArrayList<>()).add(script));
        cpythonNote = scriptsBy.isEmpty() ? "no CPython script ran"
                : String.join("; ", scriptsBy.entrySet().stream()
                        .map(e -> e.getKey() + " running " + String.join(", ", e.getValue())).toList());
        return figures;
    }

    private void list(Collection<String> toRun, VersusCatalog catalog) {
        for (String benchmark : toRun) {
            List<Pairing> pairings = catalog.pairingsOf(benchmark);
            if (pairings.isEmpty()) {
                out.println(benchmark);
            }
            for (Pairing p : pairings) {
                out.println(benchmark + "  [" + p.label() + "]  vs JDK " + VersusCatalog.defaultLabel(p.jdkBaseline())
                        + (p.hasCpythonTwin() ? ", CPython \"" + p.cpythonKey() + "\"" : ""));
            }
        }
        if (StartupRows.wanted(toRun.stream().map(BenchGroup::packageOf).toList(), options)) {
            StartupRows.names().forEach(name -> out.println(name + "  [startup row, StartupProbe]"));
        }
        out.println("CPython scripts: " + CpythonTwins.scriptNames());
    }

    /**
     * Writes the report into {@code runDir} (table.md, table.csv, table.txt, cpython.tsv, a chart
     * per group; jmh.json is JMH's), points {@code latest} at it and refreshes latest.csv and
     * latest.md beside it; {@code goalsMarkdown} (the startup goals, or "") ends both markdown
     * tables. Returns false when something could not be written.
     */
    private boolean write(ComparisonTable table, CpythonTwins.Figures cpython, Map<String, Double> load,
                          String goalsMarkdown, Path runDir) {
        String machine = Runtime.getRuntime().availableProcessors() + " CPUs, "
                + memoryGib() + " GiB RAM, " + System.getProperty("os.name") + " " + System.getProperty("os.arch");
        String when = stamp.substring(0, 4) + "-" + stamp.substring(4, 6) + "-" + stamp.substring(6, 8) + " "
                + stamp.substring(9, 11) + ":" + stamp.substring(11, 13);
        String header = "# pyconcurrent benchmarks, " + when + (options.smoke() ? " (SMOKE RUN: not a measurement)" : "")
                + "\n\nJDK " + Runtime.version() + "; " + machine + "; " + options.budget() + "; " + cpythonNote
                + ".\nMedians of all iterations, ns/op (memory rows: bytes); ratio = ours / other (below 1 = ours faster)"
                + (load.isEmpty() ? "" : "; " + LOAD_NOTE) + ".\n\n";
        String subtitle = when + ", JDK " + Runtime.version().feature() + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs" + (options.smoke() ? ", SMOKE RUN (not a measurement)"
                : options.forks() < 3 || options.iterations() < 5 ? ", QUICK PASS (not --full)" : "");
        try {
            Files.writeString(runDir.resolve("table.md"), header + table.toMarkdown() + goalsMarkdown, StandardCharsets.UTF_8);
            Files.writeString(runDir.resolve("table.csv"), table.toCsv(), StandardCharsets.UTF_8);
            Files.writeString(runDir.resolve("table.txt"), table.toText(), StandardCharsets.UTF_8);
            StringBuilder tsv = new StringBuilder("# the CPython twins' figures, key<TAB>ns per op\n");
            cpython.interpreters().forEach((script, python) -> tsv.append("# ").append(script).append(": ")
                    .append(python).append('\n'));
            cpython.hints().forEach((script, hint) -> tsv.append("# ").append(script).append(": not run; ")
                    .append(hint).append('\n'));
            cpython.figures().forEach((key, nanos) -> tsv.append(key).append('\t').append(nanos).append('\n'));
            Files.writeString(runDir.resolve("cpython.tsv"), tsv, StandardCharsets.UTF_8);
            if (!load.isEmpty()) {
                Files.writeString(runDir.resolve("load.tsv"), LoadRows.tsv(load), StandardCharsets.UTF_8);
            }
            List<Path> charts = BenchCharts.write(table, runDir, subtitle);
            Path results = runDir.getParent();
            Files.writeString(results.resolve("latest.csv"), table.toCsv(), StandardCharsets.UTF_8);
            Files.writeString(results.resolve("latest.md"), header + table.toMarkdown() + goalsMarkdown, StandardCharsets.UTF_8);
            pointLatestAt(results, runDir.getFileName());
            // No jmh.json when only the startup rows ran (--include Startup): no JMH benchmark.
            out.println("written: " + runDir + "/ (table.md, table.csv"
                    + (Files.exists(runDir.resolve("jmh.json")) ? ", jmh.json" : "") + ", cpython.tsv"
                    + (load.isEmpty() ? "" : ", load.tsv")
                    + (charts.isEmpty() ? "" : ", " + String.join(", ", charts.stream()
                            .map(c -> c.getFileName().toString()).toList())) + "); " + results.resolve("latest")
                    + " points at it");
            return true;
        } catch (IOException | RuntimeException e) {
            // A chart that cannot be drawn (no fonts on a stripped JDK, say) must not lose the table.
            out.println("could not write the report to " + runDir + ": " + e);
            return false;
        }
    }

    /** Makes {@code results/latest} a relative symbolic link to {@code run} (a copy where links are refused). */
    private static void pointLatestAt(Path results, Path run) throws IOException {
        Path latest = results.resolve("latest");
        Path temporary = results.resolve(".latest-" + ProcessHandle.current().pid());
        Files.deleteIfExists(temporary);
        try {
            Files.createSymbolicLink(temporary, run);
            // Renamed over the old link in one step: a reader never finds no "latest".
            Files.move(temporary, latest, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (UnsupportedOperationException | IOException e) {
            Files.deleteIfExists(temporary);
            if (Files.isDirectory(latest, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (var old = Files.walk(latest)) {
                    for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            } else {
                Files.deleteIfExists(latest);
            }
            Files.createDirectories(latest);
            try (var files = Files.list(results.resolve(run))) {
                for (Path f : files.toList()) {
                    Files.copy(f, latest.resolve(f.getFileName()));
                }
            }
        }
    }

    private static long memoryGib() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024));
        }
        return -1;
    }

    private static Set<String> knownBenchmarks() {
        OutputFormat quiet = OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT);
        Set<String> names = new TreeSet<>();
        for (BenchmarkListEntry entry : BenchmarkList.defaultList().find(quiet, List.of(".*"), List.of())) {
            names.add(entry.getUsername());
        }
        return names;
    }
}
