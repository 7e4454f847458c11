package io.github.pyconcurrent.benchmarks.futures;

import io.github.pyconcurrent.benchmarks.Versus;
import io.github.pyconcurrent.futures.Future;
import io.github.pyconcurrent.futures.Futures;
import io.github.pyconcurrent.futures.ProcessPoolExecutor;
import io.github.pyconcurrent.futures.ThreadPoolExecutor;
import io.github.pyconcurrent.multiprocessing.AsyncResult;
import io.github.pyconcurrent.multiprocessing.Multiprocessing;
import io.github.pyconcurrent.multiprocessing.Pool;
import io.github.pyconcurrent.multiprocessing.SerializableCallable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The executors of primitives-futures, {@value #WORKERS} workers each, on trivial tasks:
 * <ul>
 *   <li>{@code submit(task).result()} round trip, one task at a time;</li>
 *   <li>{@value #TASKS} tasks submitted, then consumed through {@code as_completed}: the score is
 *       per task (the inverse of the throughput).</li>
 * </ul>
 * The {@link ThreadPoolExecutor} is beside {@link java.util.concurrent.ThreadPoolExecutor} (the
 * same {@code submit().get()}, and an {@link ExecutorCompletionService} for as_completed); the
 * {@link ProcessPoolExecutor} is beside the {@link Pool} it runs on ({@code applyAsync(task).get()},
 * and {@value #TASKS} {@code applyAsync}s read as they finish). Both are beside CPython's
 * executors of {@value #WORKERS} workers ({@code futures_bench.py}). Pools are made and used once
 * per worker in the trial's set-up, closed in its tear-down.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class FuturesBenchmark {
    static final int WORKERS = 2;
    static final int TASKS = 10_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The trivial task: a static lambda, so each call ships only the lambda's serialized form. */
    static final SerializableCallable<Integer> ONE = () -> 1;

    ThreadPoolExecutor threads;
    java.util.concurrent.ThreadPoolExecutor jdkThreads;
    ProcessPoolExecutor processes;
    Pool pool;

    @Setup(Level.Trial)
    public void start() throws Exception {
        threads = new ThreadPoolExecutor(WORKERS);
        jdkThreads = new java.util.concurrent.ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        jdkThreads.prestartAllCoreThreads();
        processes = new ProcessPoolExecutor(WORKERS);
        pool = new Pool(WORKERS);
        for (int i = 0; i < 4 * WORKERS; i++) {
            threads.submit(ONE).result(TIMEOUT);
            processes.submit(ONE).result(TIMEOUT);
            pool.applyAsync(ONE).get(TIMEOUT);
        }
        if (!Multiprocessing.warmUp(TIMEOUT)) {
            throw new IllegalStateException("the forkserver's spares were not warm within " + TIMEOUT);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        threads.close();
        jdkThreads.close();
        processes.close();
        pool.close();
    }

    // ---------------------------------------------------------------- threads

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Versus(jdk = "jdkThreadSubmitGet", cpython = "concurrent.futures.ThreadPoolExecutor submit+result round trip",
            label = "ThreadPoolExecutor submit+result round trip")
    public Integer threadSubmitResult() {
        return threads.submit(ONE).result();
    }

    /** JDK baseline: {@code submit(task).get()} on a {@link java.util.concurrent.ThreadPoolExecutor}. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public Integer jdkThreadSubmitGet() throws InterruptedException, ExecutionException {
        return jdkThreads.submit(ONE).get();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OperationsPerInvocation(TASKS)
    @Versus(jdk = "jdkThreadCompletionService", cpython = "concurrent.futures.ThreadPoolExecutor as_completed, per task",
            label = "ThreadPoolExecutor as_completed, per task (" + TASKS + " tasks)")
    public int threadAsCompleted() {
        return drain(submitAll(threads));
    }

    /** JDK baseline: {@value #TASKS} tasks through an {@link ExecutorCompletionService}, taken as they finish. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OperationsPerInvocation(TASKS)
    public int jdkThreadCompletionService() throws InterruptedException, ExecutionException {
        ExecutorCompletionService<Integer> done = new ExecutorCompletionService<>(jdkThreads);
        for (int i = 0; i < TASKS; i++) {
            done.submit(ONE);
        }
        int sum = 0;
        for (int i = 0; i < TASKS; i++) {
            sum += done.take().get();
        }
        return sum;
    }

    // ---------------------------------------------------------------- processes

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Versus(jdk = "poolApplyAsyncGet", cpython = "concurrent.futures.ProcessPoolExecutor submit+result round trip",
            label = "ProcessPoolExecutor submit+result round trip")
    public Integer processSubmitResult() {
        return processes.submit(ONE).result();
    }

    /** Baseline: the Pool's own {@code applyAsync(task).get()}. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public Integer poolApplyAsyncGet() {
        return pool.applyAsync(ONE).get();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OperationsPerInvocation(TASKS)
    @Versus(jdk = "poolApplyAsyncAll", cpython = "concurrent.futures.ProcessPoolExecutor as_completed, per task",
            label = "ProcessPoolExecutor as_completed, per task (" + TASKS + " tasks)")
    public int processAsCompleted() {
        return drain(submitAll(processes));
    }

    /** Baseline: {@value #TASKS} {@code Pool.applyAsync}s, read as they finish. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OperationsPerInvocation(TASKS)
    public int poolApplyAsyncAll() throws InterruptedException {
        LinkedBlockingQueue<Integer> done = new LinkedBlockingQueue<>();
        List<AsyncResult<Integer>> results = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            results.add(pool.applyAsync(ONE, done::add));
        }
        int sum = 0;
        for (int i = 0; i < TASKS; i++) {
            Integer v = done.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (v == null) {
                throw new IllegalStateException("a result had not come after " + TIMEOUT);
            }
            sum += v;
        }
        return sum + results.size() - TASKS;
    }

    // ----------------------------------------------------------------

    private static List<Future<Integer>> submitAll(io.github.pyconcurrent.futures.AbstractExecutor executor) {
        List<Future<Integer>> fs = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            fs.add(executor.submit(ONE));
        }
        return fs;
    }

    private static int drain(List<Future<Integer>> fs) {
        int sum = 0;
        for (Iterator<Future<Integer>> it = Futures.asCompleted(fs, TIMEOUT); it.hasNext(); ) {
            sum += it.next().result();
        }
        return sum;
    }

    /** For a quick look outside JMH: {@code java -cp benchmarks.jar ...FuturesBenchmark}. */
    public static void main(String[] args) throws Exception {
        FuturesBenchmark b = new FuturesBenchmark();
        b.start();
        try {
            for (int round = 0; round < 3; round++) {
                System.out.printf("threadSubmitResult %.0f ns, jdk %.0f ns%n",
                        time(2000, b::threadSubmitResult), time(2000, () -> b.jdkThreadSubmitGet()));
                System.out.printf("threadAsCompleted %.0f ns/task, jdk %.0f ns/task%n",
                        time(1, b::threadAsCompleted) / TASKS, time(1, () -> b.jdkThreadCompletionService()) / TASKS);
                System.out.printf("processSubmitResult %.0f ns, pool %.0f ns%n",
                        time(2000, b::processSubmitResult), time(2000, b::poolApplyAsyncGet));
                System.out.printf("processAsCompleted %.0f ns/task, pool %.0f ns/task%n",
                        time(1, b::processAsCompleted) / TASKS, time(1, () -> b.poolApplyAsyncAll()) / TASKS);
            }
        } finally {
            b.stop();
        }
    }

    private static double time(int n, java.util.concurrent.Callable<?> op) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            op.call();
        }
        return (System.nanoTime() - t0) / (double) n;
    }
}
