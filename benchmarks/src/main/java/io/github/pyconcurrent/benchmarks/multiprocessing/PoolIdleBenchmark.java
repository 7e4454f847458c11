package io.github.pyconcurrent.benchmarks.multiprocessing;

import io.github.pyconcurrent.benchmarks.Versus;
import io.github.pyconcurrent.multiprocessing.Pool;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The first {@code apply} after the pool idled {@value #IDLE_MILLIS} ms: what a worker that went
 * to sleep costs to wake (single shot; the sleep is the invocation's set-up, not measured). The
 * pool (and the baseline's {@link ThreadPoolExecutor}) first runs {@value #HOT_CALLS} calls in the
 * trial's set-up, so the path is compiled and only the idling differs from the hot round trip of
 * {@link PoolBenchmark#apply()}. CPython: the median of several {@code time.sleep(0.3); apply}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class PoolIdleBenchmark {
    static final int IDLE_MILLIS = 300;
    static final int HOT_CALLS = PoolBenchmark.WARM_APPLIES;

    Pool pool;
    ThreadPoolExecutor executor;

    @Setup(Level.Trial)
    public void start() throws InterruptedException, ExecutionException {
        pool = PoolBenchmark.startPool();
        executor = PoolBenchmark.startExecutor();
        for (int i = 0; i < HOT_CALLS; i++) {   // the pool had its warm-up applies in startPool
            executor.submit(PoolBenchmark.ONE).get();
        }
    }

    @Setup(Level.Invocation)
    public void idle() throws InterruptedException {
        Thread.sleep(IDLE_MILLIS);
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        pool.close();
        executor.shutdown();
        executor.awaitTermination(60, TimeUnit.SECONDS);
    }

    @Benchmark
    @Versus(jdk = "executorAfterIdle", cpython = "multiprocessing.Pool.apply after 300 ms idle",
            label = "pool2_apply_after_idle_300ms_p50: Pool(2).apply after 300 ms idle")
    public Integer applyAfterIdle() {
        return pool.apply(PoolBenchmark.identTask(300));
    }

    /** JDK baseline: {@code submit(task).get()} on a {@code ThreadPoolExecutor} idle as long. */
    @Benchmark
    public Integer executorAfterIdle() throws InterruptedException, ExecutionException {
        return executor.submit(PoolBenchmark.ONE).get();
    }
}
