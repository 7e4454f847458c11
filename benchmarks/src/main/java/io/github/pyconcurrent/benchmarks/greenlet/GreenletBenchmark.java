package io.github.pyconcurrent.benchmarks.greenlet;

import io.github.pyconcurrent.benchmarks.Versus;
import io.github.pyconcurrent.greenlet.Greenlet;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Greenlet switching on the default ({@code continuation}) backend, each beside the plain-JDK way
 * to get the same from virtual threads.
 *
 * <ul>
 * <li>{@code switchPingPong}: the benchmark thread's main greenlet and a partner switch back and
 *     forth; scored per switch (a round trip is two), as greenlet's own {@code switch} benchmark.
 *     Baseline: a platform thread and a virtual thread passing a token through two
 *     {@code SynchronousQueue}s, per hand-off.</li>
 * <li>{@code createAndRun}: make a greenlet, switch into it, let it finish back. Baseline: start a
 *     virtual thread and join it.</li>
 * </ul>
 *
 * <p>Greenlets belong to the thread that made them, and JMH may run iterations on different worker
 * threads, so the state is made and torn down per iteration, on the worker thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GreenletBenchmark {
    static final String BACKEND = "continuation";

    private static final Function<Object[], Object> NOTHING = args -> null;

    /** The benchmark thread's main greenlet and a partner that always switches straight back. */
    @State(Scope.Thread)
    public static class Pair {
        Greenlet partner;

        @Setup(Level.Iteration)
        public void start() {
            requireBackend(BACKEND);
            partner = newPartner();
            partner.switchTo();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            partner.throwInto();
        }
    }

    /** A virtual thread echoing tokens between two synchronous queues. */
    @State(Scope.Thread)
    public static class VirtualEcho {
        final SynchronousQueue<Object> there = new SynchronousQueue<>();
        final SynchronousQueue<Object> back = new SynchronousQueue<>();
        Thread echo;

        @Setup(Level.Iteration)
        public void start() {
            echo = startEcho(there, back);
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
            label = "greenlet switch (continuation)")
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
            label = "greenlet create+run (continuation)")
    public Object createAndRun() {
        requireBackendOnce(BACKEND);
        return new Greenlet(NOTHING).switchTo();
    }

    @Benchmark
    public Thread createAndRunVirtualThreadJdk() throws InterruptedException {
        Thread t = Thread.ofVirtual().start(GreenletBenchmark::nothing);
        t.join();
        return t;
    }

    static void nothing() {
        // the body of the created thread: nothing
    }

    /** A partner greenlet: every switch into it switches straight back to its parent. */
    static Greenlet newPartner() {
        Greenlet main = Greenlet.getcurrent();
        return new Greenlet(args -> {
            while (true) {
                main.switchTo();
            }
        });
    }

    static Thread startEcho(SynchronousQueue<Object> there, SynchronousQueue<Object> back) {
        return Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    back.put(there.take());
                }
            } catch (InterruptedException e) {
                // teardown
            }
        });
    }

    private static volatile boolean checked;

    static void requireBackendOnce(String backend) {
        if (!checked) {
            requireBackend(backend);
            checked = true;
        }
    }

    /** Fails the run when the fork did not get the backend this class measures. */
    static void requireBackend(String backend) {
        if (!Greenlet.backend().equals(backend)) {
            throw new IllegalStateException("this benchmark measures the " + backend
                    + " greenlet backend but the fork runs " + Greenlet.backend()
                    + " (missing --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED?)");
        }
    }
}
