package io.github.pyconcurrent.benchmarks.multiprocessing;

import io.github.pyconcurrent.benchmarks.Versus;
import io.github.pyconcurrent.multiprocessing.Multiprocessing;
import io.github.pyconcurrent.multiprocessing.Pool;
import io.github.pyconcurrent.multiprocessing.SerializableCallable;
import io.github.pyconcurrent.multiprocessing.SerializableFunction;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
 * A hot {@link Pool} of {@value #WORKERS} worker JVMs (the default start method, forkserver)
 * against a {@link ThreadPoolExecutor} of {@value #WORKERS} threads, and CPython's
 * {@code multiprocessing.Pool(2)} (its default start method, fork):
 * <ul>
 *   <li>{@code pool2_apply_rtt_p50/_p99}: {@code apply(() -> ident(i))} round trip, sampled
 *       after {@value #WARM_APPLIES} warm-up applies: a p50 and a p99 row;</li>
 *   <li>{@code pool2_apply_async_throughput}: {@code applyAsync(() -> ident(i), callback)} of
 *       {@value #TASKS} tasks until every callback has run: the score is per task (the inverse of
 *       the throughput);</li>
 *   <li>{@code pool2_map_100k_ints}: {@code map(ident, 0..99999)} with the default chunk size
 *       (Python's: the items over four times the workers, 12,500): the score is per map.</li>
 * </ul>
 * The names and definitions are issue 17's; {@code process_bench.py} measures the same in CPython.
 * The pool is made, used once per worker, and left until the forkserver's replacement spares are
 * warm, all in the trial's set-up; it is closed (every worker exits) in its tear-down.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class PoolBenchmark {
    static final int WORKERS = 2;
    static final int TASKS = 20_000;
    /** Applies before measurement (the definition; JMH's warm-up iterations come on top). */
    static final int WARM_APPLIES = 200;
    static final int ITEMS = 100_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The trivial task of the warm-up and of the JDK baselines. */
    static final SerializableCallable<Integer> ONE = () -> 1;
    private static final SerializableFunction<Integer, Integer> IDENT = PoolBenchmark::ident;
    /** The argument of the next task (one benchmark thread). */
    int next;

    /** The issue's {@code ident(i)}: each task ships its own argument, as CPython's {@code apply(ident, (i,))}. */
    static int ident(int x) {
        return x;
    }

    /** {@code () -> ident(i)} for the next i. */
    static SerializableCallable<Integer> identTask(int i) {
        return () -> ident(i);
    }
    private static final Supplier<Integer> JDK_ONE = () -> 1;

    Pool pool;
    ThreadPoolExecutor executor;
    List<Integer> items;

    @Setup(Level.Trial)
    public void start() {
        pool = startPool();
        executor = startExecutor();
        items = IntStream.range(0, ITEMS).boxed().toList();
    }

    /** A pool whose workers have each run a task, and whose forkserver has settled. */
    static Pool startPool() {
        Pool pool = new Pool(WORKERS);
        pool.map(x -> x, IntStream.range(0, 4 * WORKERS).boxed().toList(), 1);
        for (int i = 0; i < WARM_APPLIES; i++) {
            pool.apply(identTask(i));
        }
        if (!Multiprocessing.warmUp(TIMEOUT)) {
            throw new IllegalStateException("the forkserver's spares were not warm within " + TIMEOUT);
        }
        return pool;
    }

    static ThreadPoolExecutor startExecutor() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>());
        executor.prestartAllCoreThreads();
        return executor;
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        pool.close();
        executor.shutdown();
        executor.awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @Versus(jdk = "executorSubmitGet", cpython = "multiprocessing.Pool.apply round trip p50",
            label = "pool2_apply_rtt_p50: Pool(2).apply(() -> ident(i)) round trip p50, hot", percentile = 50)
    @Versus(jdk = "executorSubmitGet", cpython = "multiprocessing.Pool.apply round trip p99",
            label = "pool2_apply_rtt_p99: the same, p99", percentile = 99)
    public Integer apply() {
        return pool.apply(identTask(next++));
    }

    /** JDK baseline: {@code submit(task).get()} on a {@code ThreadPoolExecutor}. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public Integer executorSubmitGet() throws InterruptedException, ExecutionException {
        return executor.submit(ONE).get();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OperationsPerInvocation(TASKS)
    @Versus(jdk = "completableFutureCallbacks", cpython = "multiprocessing.Pool.apply_async with callback, per task",
            label = "pool2_apply_async_throughput: applyAsync(() -> ident(i), callback), per task (" + TASKS + " tasks)")
    public void applyAsync() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(TASKS);
        Consumer<Integer> callback = v -> done.countDown();
        for (int i = 0; i < TASKS; i++) {
            pool.applyAsync(identTask(i), callback);
        }
        await(done);
    }

    /** JDK baseline: {@code supplyAsync(task, executor).thenAccept(callback)} for each task. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OperationsPerInvocation(TASKS)
    public void completableFutureCallbacks() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(TASKS);
        Consumer<Integer> callback = v -> done.countDown();
        for (int i = 0; i < TASKS; i++) {
            CompletableFuture.supplyAsync(JDK_ONE, executor).thenAccept(callback);
        }
        await(done);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Versus(jdk = "parallelStream", cpython = "multiprocessing.Pool.map 100,000 ints",
            label = "pool2_map_100k_ints: map(ident, 0..99999), default chunksize")
    public List<Integer> map() {
        return pool.map(IDENT, items);
    }

    /** JDK baseline: {@code items.parallelStream().map(ident).toList()} (the common ForkJoinPool). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public List<Integer> parallelStream() {
        return items.parallelStream().map(IDENT).toList();
    }

    private static void await(CountDownLatch done) throws InterruptedException {
        if (!done.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException(done.getCount() + " callbacks had not run after " + TIMEOUT);
        }
    }
}
