package io.github.pyconcurrent.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * JMH's output reduced to one line per benchmark ({@code [3/14] LockBenchmark.rlock  21.4 ns/op}),
 * so the quick pass reads as progress rather than a wall of iterations. JMH's own messages that
 * are not progress (a failure's stack trace, a warning that a fork did not exit) still pass
 * through.
 */
final class ProgressFormat implements OutputFormat {
    private final PrintStream out;
    private final int total;
    private int started;
    /** Whether the last thing printed left the cursor mid-line (after "[n/N] name ..."). */
    private boolean midLine;

    ProgressFormat(PrintStream out, int total) {
        this.out = out;
        this.total = total;
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
        started++;
        // More runs than benchmarks when some have @Params: then the count alone.
        String count = started <= total ? started + "/" + total : String.valueOf(started);
        String benchmark = params.getBenchmark();
        String withParams = VersusCatalog.defaultLabel(benchmark)
                + Compare.resultKey(params).substring(benchmark.length());
        out.printf(Locale.ROOT, "[%s] %s ", count, withParams);
        out.flush();
        midLine = true;
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        if (result == null) {
            return;
        }
        List<Double> scores = new ArrayList<>();
        for (IterationResult iteration : result.getIterationResults()) {
            scores.add(iteration.getPrimaryResult().getScore());
        }
        Measurement m = Measurement.ofIterations(scores, result.getScoreUnit());
        endLine(" " + ComparisonTable.formatScore(m.score()) + " " + m.unit());
    }

    @Override
    public void iteration(BenchmarkParams benchmarkParams, IterationParams params, int iteration) {
        // One dot per iteration: alive, and how far along.
        out.print('.');
        out.flush();
    }

    @Override
    public void iterationResult(BenchmarkParams benchmarkParams, IterationParams params, int iteration,
                                IterationResult data) {
        // The summary line at the end of the benchmark says it all.
    }

    @Override
    public void startRun() {
    }

    @Override
    public void endRun(Collection<RunResult> result) {
        endLine("");
    }

    @Override
    public void print(String s) {
        // JMH's banners and "# Run progress" lines are what this format exists to hide.
    }

    @Override
    public void println(String s) {
        if (s != null && !s.isBlank() && !s.startsWith("#")) {
            endLine("");
            out.println(s);
        }
    }

    @Override
    public void verbosePrintln(String s) {
    }

    @Override
    public void write(int b) {
        // The forked JVMs' own stdout/stderr: kept, they carry failures and stray-thread warnings.
        out.write(b);
    }

    @Override
    public void write(byte[] b) {
        out.write(b, 0, b.length);
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }

    private void endLine(String tail) {
        if (midLine) {
            out.println(tail);
            midLine = false;
        }
    }
}
