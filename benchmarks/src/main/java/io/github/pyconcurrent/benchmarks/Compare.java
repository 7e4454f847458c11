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
 * ratios (below 1 = ours faster). The same table goes to {@code bench-results/} as CSV and
 * markdown. Options: {@link CompareOptions#USAGE}.
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
    private static final Duration CPYTHON_SCRIPT_TIMEOUT = Duration.ofMinutes(2);

    private final CompareOptions options;
    private final PrintStream out;
    /** What the CPython column was measured with, for the written table's header. */
    private String cpythonNote = "CPython not run";

    private Compare(CompareOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Entry point of {@code benchmarks.jar}; exits 0 when every selected benchmark produced a score. */
    public static void main(String[] args) {
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
        if (selected.isEmpty()) {
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
        out.println("pyconcurrent benchmarks: " + toRun.size() + " on JDK " + Runtime.version() + ", "
                + options.budget());
        List<Pairing> twins = toRun.stream().map(catalog::pairingsOf).flatMap(List::stream)
                .filter(Pairing::hasCpythonTwin).toList();
        Map<String, Double> cpython = options.cpython() && !twins.isEmpty() ? cpythonFigures() : Map.of();
        if (!cpython.isEmpty()) {
            // A key typed differently on the two sides would otherwise just show as "—".
            twins.stream().filter(p -> !cpython.containsKey(p.cpythonKey())).forEach(p -> out.println(
                    "CPython: no script printed \"" + p.cpythonKey() + "\" (named by " + p.benchmark() + ")"));
        }
        Map<String, Measurement> results;
        try {
            results = runJmh(toRun);
        } catch (RunnerException e) {
            out.println("JMH failed: " + e.getMessage());
            if (String.valueOf(e.getMessage()).contains("jmh.lock")) {
                // JMH lets one run at a time per machine, so two runs do not skew each other.
                out.println("Another benchmark run is in progress: wait for it, or run anyway with "
                        + "JDK_JAVA_OPTIONS=-Djmh.ignoreLock=true ./run bench ...");
            }
            return 1;
        }
        ComparisonTable table = ComparisonTable.build(toRun, results, catalog, cpython);
        out.println();
        out.print(table.toText());
        out.println("medians of all iterations, ns/op; ratio = ours / other (below 1 = ours faster)");
        write(table);
        List<String> failed = toRun.stream().filter(b -> results.keySet().stream()
                .noneMatch(key -> key.equals(b) || key.startsWith(b + " ["))).toList();
        if (!failed.isEmpty()) {
            out.println("no result (failed): " + failed);
            return 1;
        }
        return 0;
    }

    private Map<String, Measurement> runJmh(Set<String> toRun) throws RunnerException {
        ChainedOptionsBuilder jmh = new OptionsBuilder()
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

    private Map<String, Double> cpythonFigures() {
        List<String> scripts = CpythonTwins.scriptNames();
        if (scripts.isEmpty()) {
            return Map.of();
        }
        Optional<CpythonTwins.Interpreter> python = CpythonTwins.find(options.python());
        if (python.isEmpty()) {
            cpythonNote = "no CPython interpreter found";
            out.println("CPython: no interpreter found (tried " + (options.python() != null ? options.python()
                    : "/usr/bin/python3 with greenlet, python3 on the PATH") + "); CPython column left empty");
            return Map.of();
        }
        cpythonNote = python.get() + " running " + String.join(", ", scripts);
        out.println("CPython: " + python.get() + ", " + scripts.size() + " script(s)");
        return CpythonTwins.runAll(python.get(), CPYTHON_SCRIPT_TIMEOUT, out);
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
        out.println("CPython scripts: " + CpythonTwins.scriptNames());
    }

    private void write(ComparisonTable table) {
        Path dir = Path.of(options.resultsDir());
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String header = "# pyconcurrent benchmarks, " + stamp + "\n\nJDK " + Runtime.version() + "; "
                + options.budget() + "; " + cpythonNote + ". Medians of all iterations, ns/op; "
                + "ratio = ours / other (below 1 = ours faster).\n\n";
        try {
            Files.createDirectories(dir);
            for (String name : List.of("latest", "bench-" + stamp)) {
                Files.writeString(dir.resolve(name + ".csv"), table.toCsv(), StandardCharsets.UTF_8);
                Files.writeString(dir.resolve(name + ".md"), header + table.toMarkdown(), StandardCharsets.UTF_8);
            }
            out.println("written: " + dir.resolve("latest.csv") + ", " + dir.resolve("latest.md")
                    + " (and bench-" + stamp + ".*)");
        } catch (IOException e) {
            out.println("could not write the table to " + dir + ": " + e.getMessage());
        }
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
