package io.github.pyconcurrent.benchmarks.gevent;

import io.github.pyconcurrent.benchmarks.Versus;
import io.github.pyconcurrent.gevent.Gevent;
import io.github.pyconcurrent.gevent.GreenletTask;
import io.github.pyconcurrent.gevent.Hub;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * gevent's scheduling cost: spawn {@value #TASKS} greenlets that each {@code sleep(0)} once,
 * then {@code joinall}; one operation is the whole batch. Baseline: the plain-JDK way, a virtual
 * thread per task that yields once, all joined by closing the executor.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GeventBenchmark {
    static final int TASKS = 10_000;

    /** The worker thread's hub, made and destroyed on the worker thread for each iteration. */
    @State(Scope.Thread)
    public static class HubState {
        Hub hub;

        @Setup(Level.Iteration)
        public void start() {
            hub = Hub.get();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            hub.destroy();
        }
    }

    @Benchmark
    @Versus(jdk = "spawnJoinall10kVirtualThreadsJdk", cpython = "gevent spawn+joinall 10000 sleep(0)",
            label = "gevent spawn+joinall 10k sleep(0)")
    public int spawnJoinall10k(HubState state) {
        List<GreenletTask<Void>> tasks = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            tasks.add(Gevent.spawn(GeventBenchmark::yieldOnce));
        }
        Gevent.joinall(tasks);
        return tasks.size();
    }

    @Benchmark
    public int spawnJoinall10kVirtualThreadsJdk() {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < TASKS; i++) {
                executor.submit(Thread::yield);
            }
        }
        return TASKS;
    }

    private static void yieldOnce() {
        Gevent.sleep();
    }
}
