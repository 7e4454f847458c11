package io.github.pyconcurrent.benchmarks.threading;

import io.github.pyconcurrent.benchmarks.Versus;
import io.github.pyconcurrent.threading.Thread;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Start + join of a {@link Thread} that does nothing (Python's
 * {@code t = Thread(target=f); t.start(); t.join()}) against a plain platform
 * {@link java.lang.Thread}: the cost of Python's bookkeeping (registry, name, daemon rule,
 * excepthook) on top of the OS thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ThreadBenchmark {
    private static final Runnable NOTHING = () -> { };

    @Benchmark
    @Versus(jdk = "platformThread", cpython = "threading.Thread start+join", label = "Thread start+join")
    public void thread(Blackhole blackhole) {
        Thread thread = new Thread(NOTHING);
        thread.start();
        thread.join();
        blackhole.consume(thread);
    }

    /** JDK baseline: {@code new java.lang.Thread(r).start(); join()}. */
    @Benchmark
    public void platformThread(Blackhole blackhole) throws InterruptedException {
        java.lang.Thread thread = new java.lang.Thread(NOTHING);
        thread.start();
        thread.join();
        blackhole.consume(thread);
    }
}
