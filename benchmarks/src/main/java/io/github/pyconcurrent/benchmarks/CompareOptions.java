package io.github.pyconcurrent.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The comparison runner's command line. The default is the quick pass (about a second per
 * benchmark); {@code --full} is a proper measurement; each budget figure can be set alone.
 *
 * @param includes       regular expressions, any of which selects a benchmark by its JMH name
 *                       (found anywhere in it); none = every benchmark
 * @param list           only list what would run, with the pairings
 * @param forks          JMH forks per benchmark
 * @param warmups        warm-up iterations per fork
 * @param warmupTime     length of one warm-up iteration
 * @param iterations     measured iterations per fork
 * @param iterationTime  length of one measured iteration
 * @param cpython        whether to run the CPython scripts
 * @param python         the interpreter to use, or {@code null} to search for one
 * @param profilers      JMH profilers to add (e.g. {@code gc}); their output needs {@code --verbose}
 * @param verbose        print JMH's own output instead of one line per benchmark
 * @param resultsDir     where each run's directory (and {@code latest}) goes
 * @param compareWith    an earlier run's directory (or its {@code table.csv}) to show the change
 *                       since, or {@code null}
 * @param smoke          the few-seconds check CI runs: two benchmarks and their twins, a tiny
 *                       budget, the whole report written (to {@code bench-results/smoke})
 * @param help           print the usage and exit
 * @param load           whether the socketserver group gets its load rows ({@link LoadRows})
 * @param loadWindow     the measured window of each load pass, or {@code null} for the default
 */
record CompareOptions(List<Pattern> includes, boolean list, int forks, int warmups, Duration warmupTime,
                      int iterations, Duration iterationTime, boolean cpython, String python,
                      List<String> profilers, boolean verbose, String resultsDir, String compareWith,
                      boolean smoke, boolean help, boolean load, Duration loadWindow) {

    /** What {@code --smoke} runs, unless {@code --include} says otherwise: one primitive of two modules. */
    static final List<String> SMOKE_INCLUDES = List.of(
            "threading\\.LockBenchmark\\.lock$", "greenlet\\.GreenletBenchmark\\.switchPingPong$");

    static final String USAGE = """
            usage: ./run bench [options]      (or: java <JvmFlags> -jar benchmarks/target/benchmarks.jar [options])
            Runs the JMH benchmarks and CPython twins, prints ours vs the JDK baseline vs CPython
            (medians, ns/op; ratio < 1 = ours faster) and writes the report (JMH's JSON, the
            CPython figures, the table, a PNG chart per module) to bench-results/<date-time>/,
            with bench-results/latest pointing at it.
              --include REGEX    run only benchmarks whose name (package.Class.method) matches;
                                 repeatable; their JDK baselines always run too
              --list             list the selected benchmarks and their pairings, run nothing
              --full             a proper run: 3 forks, 5 x 1 s warm-up, 5 x 1 s measurement
                                 (default: quick pass, 1 fork, 2 x 200 ms warm-up, 3 x 300 ms)
              --forks N  --warmups N  --warmup-ms MS  --iterations N  --iteration-ms MS
                                 override one figure of the budget
              --no-cpython       skip the CPython scripts
              --python PATH      the CPython interpreter (default: per script, the first of
                                 python3 on the PATH and /usr/bin/python3 that imports what
                                 the script needs)
              --prof NAME        add a JMH profiler (e.g. gc); shown with --verbose
              --verbose          JMH's own progress output
              --compare DIR      add the change of each row since that earlier run (its directory,
                                 e.g. bench-results/20260101-120000, or its table.csv)
              --smoke            a few seconds' check that the whole job works (what CI runs):
                                 two benchmarks, a tiny budget, report to bench-results/smoke
              --results DIR      where to write the runs (default bench-results)
              --no-load          leave out the socketserver load rows (servers in processes of
                                 their own under one load client: req/s, server CPU per request,
                                 connect p50, memory per idle connection, a pinned pass)
              --load-ms MS       the measured window of each load pass (default 2000; --full 5000)
              --help             this text
            """;

    /** Parses {@code args}; throws {@link IllegalArgumentException} with a one-line reason. */
    static CompareOptions parse(String... args) {
        List<Pattern> includes = new ArrayList<>();
        List<String> profilers = new ArrayList<>();
        boolean list = false;
        boolean full = false;
        boolean cpython = true;
        boolean verbose = false;
        boolean help = false;
        String python = null;
        String resultsDir = null;
        String compareWith = null;
        boolean smoke = false;
        boolean load = true;
        Duration loadWindow = null;
        Integer forks = null;
        Integer warmups = null;
        Integer iterations = null;
        Duration warmupTime = null;
        Duration iterationTime = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--include" -> includes.add(pattern(value(args, ++i, arg)));
                case "--list" -> list = true;
                case "--full" -> full = true;
                case "--no-cpython" -> cpython = false;
                case "--python" -> python = value(args, ++i, arg);
                case "--prof" -> profilers.add(value(args, ++i, arg));
                case "--verbose" -> verbose = true;
                case "--results" -> resultsDir = value(args, ++i, arg);
                case "--compare" -> compareWith = value(args, ++i, arg);
                case "--smoke" -> smoke = true;
                case "--no-load" -> load = false;
                case "--load-ms" -> loadWindow = Duration.ofMillis(positive(args, ++i, arg, 1));
                case "--forks" -> forks = positive(args, ++i, arg, 0);
                case "--warmups" -> warmups = positive(args, ++i, arg, 0);
                case "--iterations" -> iterations = positive(args, ++i, arg, 1);
                case "--warmup-ms" -> warmupTime = Duration.ofMillis(positive(args, ++i, arg, 1));
                case "--iteration-ms" -> iterationTime = Duration.ofMillis(positive(args, ++i, arg, 1));
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown option " + arg + " (try --help)");
            }
        }
        if (smoke && full) {
            throw new IllegalArgumentException("--smoke and --full contradict each other");
        }
        if (smoke && includes.isEmpty()) {
            SMOKE_INCLUDES.forEach(regex -> includes.add(Pattern.compile(regex)));
        }
        return new CompareOptions(List.copyOf(includes), list,
                forks != null ? forks : full ? 3 : 1,
                warmups != null ? warmups : full ? 5 : smoke ? 1 : 2,
                warmupTime != null ? warmupTime : full ? Duration.ofSeconds(1) : Duration.ofMillis(smoke ? 100 : 200),
                iterations != null ? iterations : full ? 5 : smoke ? 2 : 3,
                iterationTime != null ? iterationTime : full ? Duration.ofSeconds(1) : Duration.ofMillis(smoke ? 100 : 300),
                cpython, python, List.copyOf(profilers), verbose,
                resultsDir != null ? resultsDir : smoke ? "bench-results/smoke" : "bench-results",
                compareWith, smoke, help, load, loadWindow);
    }

    /** A one-line description of the budget, for the run's header. */
    String budget() {
        return forks + " fork(s), " + warmups + " x " + warmupTime.toMillis() + " ms warm-up, "
                + iterations + " x " + iterationTime.toMillis() + " ms measurement";
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String[] args, int i, String option, int min) {
        String text = value(args, i, option);
        try {
            int n = Integer.parseInt(text);
            if (n < min) {
                throw new IllegalArgumentException(option + " must be at least " + min + ", not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, not " + text);
        }
    }

    private static Pattern pattern(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--include: bad regular expression " + regex);
        }
    }
}
