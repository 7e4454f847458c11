package io.github.pyconcurrent.benchmarks.threading;

import io.github.pyconcurrent.benchmarks.Versus;
import io.github.pyconcurrent.threading.BoundedSemaphore;
import io.github.pyconcurrent.threading.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Uncontended acquire + release of a one-permit {@link Semaphore} and {@link BoundedSemaphore}
 * against {@link java.util.concurrent.Semaphore} (non-fair, as Python's is).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SemaphoreBenchmark {
    private final Semaphore semaphore = new Semaphore(1);
    private final BoundedSemaphore boundedSemaphore = new BoundedSemaphore(1);
    private final java.util.concurrent.Semaphore jdkSemaphore = new java.util.concurrent.Semaphore(1);

    @Benchmark
    @Versus(jdk = "jdkSemaphore", cpython = "threading.Semaphore acquire+release",
            label = "Semaphore acquire+release")
    public void semaphore() {
        semaphore.acquire();
        semaphore.release();
    }

    @Benchmark
    @Versus(jdk = "jdkSemaphore", cpython = "threading.BoundedSemaphore acquire+release",
            label = "BoundedSemaphore acquire+release")
    public void boundedSemaphore() {
        boundedSemaphore.acquire();
        boundedSemaphore.release();
    }

    /** JDK baseline: {@code java.util.concurrent.Semaphore.acquire(); release()}. */
    @Benchmark
    public void jdkSemaphore() throws InterruptedException {
        jdkSemaphore.acquire();
        jdkSemaphore.release();
    }
}
