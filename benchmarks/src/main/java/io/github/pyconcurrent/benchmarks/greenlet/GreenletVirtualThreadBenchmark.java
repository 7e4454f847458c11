package io.github.pyconcurrent.benchmarks.greenlet;

import io.github.pyconcurrent.benchmarks.Versus;
import io.github.pyconcurrent.greenlet.Greenlet;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * {@link GreenletBenchmark}'s measurements on the {@code virtual-thread} greenlet backend. The
 * backend is chosen once per JVM, so this class's forks select it with the system property
 * (appended: the runner passes the toolkit's JVM flags as {@code jvmArgsPrepend}, which replaces
 * a prepend here).
 *
 * <p>What it represents: JMH's worker is a platform thread, so its greenlets are carried by that
 * thread itself (the backend's {@code HomeCarrier}): the ordinary case of a program that uses
 * greenlets from a platform thread. Greenlets of a virtual thread take the other path (the JDK's
 * default scheduler and a park/unpark hand-off), not measured here: about 150 ns per switch (issue 4's
 * throw-away experiment) at
 * {@code -Djdk.virtualThreadScheduler.parallelism=1}, microseconds with the default parallelism.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsAppend = "-Dpyconcurrent.greenlet.backend=virtual-thread")
public class GreenletVirtualThreadBenchmark {
    static final String BACKEND = "virtual-thread";

    private static final Function<Object[], Object> NOTHING = args -> null;

    /** See {@link GreenletBenchmark.Pair}. */
    @State(Scope.Thread)
    public static class Pair {
        Greenlet partner;

        @Setup(Level.Iteration)
        public void start() {
            GreenletBenchmark.requireBackend(BACKEND);
            partner = GreenletBenchmark.newPartner();
            partner.switchTo();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            partner.throwInto();
        }
    }

    /** See {@link GreenletBenchmark.VirtualEcho}. */
    @State(Scope.Thread)
    public static class VirtualEcho {
        final SynchronousQueue<Object> there = new SynchronousQueue<>();
        final SynchronousQueue<Object> back = new SynchronousQueue<>();
        Thread echo;

        @Setup(Level.Iteration)
        public void start() {
            echo = GreenletBenchmark.startEcho(there, back);
        }

        @TearDown(Level.Iteration)
        public void stop() throws InterruptedException {
            echo.interrupt();
            echo.join();
        }
    }

    @Benchmark
    @OperationsPerInvocation(2)
    @Versus(jdk = "switchPingPongVirtualThreadsJdk", cpython = "greenlet switch",
            label = "greenlet switch (virtual-thread)")
    public Object switchPingPong(Pair pair) {
        return pair.partner.switchTo();
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public Object switchPingPongVirtualThreadsJdk(VirtualEcho echo) throws InterruptedException {
        echo.there.put(Boolean.TRUE);
        return echo.back.take();
    }

    @Benchmark
    @Versus(jdk = "createAndRunVirtualThreadJdk", cpython = "greenlet create+run",
            label = "greenlet create+run (virtual-thread)")
    public Object createAndRun() {
        GreenletBenchmark.requireBackendOnce(BACKEND);
        return new Greenlet(NOTHING).switchTo();
    }

    @Benchmark
    public Thread createAndRunVirtualThreadJdk() throws InterruptedException {
        Thread t = Thread.ofVirtual().start(GreenletBenchmark::nothing);
        t.join();
        return t;
    }
}
