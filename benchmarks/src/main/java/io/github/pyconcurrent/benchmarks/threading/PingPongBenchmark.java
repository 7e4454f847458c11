package io.github.pyconcurrent.benchmarks.threading;

import io.github.pyconcurrent.benchmarks.Versus;
import io.github.pyconcurrent.threading.Condition;
import io.github.pyconcurrent.threading.Event;
import io.github.pyconcurrent.threading.Lock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Control;

/**
 * Two threads handing a turn back and forth: {@link Event} (Python's
 * {@code ping.set(); pong.wait(); pong.clear()}) and {@link Condition} (a turn variable under
 * {@code with cond:}, {@code notify()} and {@code wait()}; over the default RLock and over a plain
 * {@link Lock}, whose conditions take different paths), against the least a blocking handoff
 * can cost on the JVM: a volatile flag plus {@link LockSupport#park}/{@code unpark}. A
 * {@code ReentrantLock} + {@code Condition} ping-pong is an extra reference row.
 *
 * <p>Each {@code @Group} is a pinger and a ponger thread; one invocation of either is one round
 * trip, i.e. two handoffs, and {@code @OperationsPerInvocation(2)} makes every score
 * <em>per handoff</em>, as the CPython twins measure it.
 *
 * <p>Teardown: JMH stops the two threads independently, so the one still waiting would wait for
 * ever. Every wait is therefore bounded ({@link #TICK}) and gives up once
 * {@link Control#stopMeasurement} is set; each iteration starts from a clean state
 * ({@code @Setup(Level.Iteration)}), so an abandoned round trip leaves nothing behind. The
 * timed waits are used on both sides, ours and the JDK's, so the comparison stays even.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(2)
public class PingPongBenchmark {
    /** The longest a thread waits before re-checking whether the iteration is over. */
    static final Duration TICK = Duration.ofMillis(5);
    private static final long TICK_NANOS = TICK.toNanos();

    /** Two events: {@code ping} hands the turn to the ponger, {@code pong} hands it back. */
    @State(Scope.Group)
    public static class EventPair {
        final Event ping = new Event();
        final Event pong = new Event();

        @Setup(Level.Iteration)
        public void reset() {
            ping.clear();
            pong.clear();
        }
    }

    /** A turn variable guarded by a {@link Condition} over its default RLock, as in Python. */
    @State(Scope.Group)
    public static class ConditionPair {
        final Condition condition = newCondition();

        Condition newCondition() {
            return new Condition();
        }
        /** Whose turn it is: {@code true} = the ponger's. Guarded by {@code condition}. */
        boolean pongersTurn;

        @Setup(Level.Iteration)
        public void reset() {
            pongersTurn = false;
        }
    }

    /** As {@link ConditionPair}, over a plain {@link Lock} (Python's {@code Condition(Lock())}). */
    @State(Scope.Group)
    public static class ConditionLockPair extends ConditionPair {
        @Override
        Condition newCondition() {
            return new Condition(new Lock());
        }
    }

    /** The JDK baseline's state: two volatile flags and the two threads to unpark. */
    @State(Scope.Group)
    public static class ParkPair {
        volatile boolean ping;
        volatile boolean pong;
        // Who plays which role may change between iterations (JMH's worker pool), so each
        // side (re-)registers itself before it publishes anything the other side waits on.
        volatile java.lang.Thread pinger;
        volatile java.lang.Thread ponger;

        @Setup(Level.Iteration)
        public void reset() {
            ping = false;
            pong = false;
            pinger = null;
            ponger = null;
        }
    }

    /** A {@code ReentrantLock} + {@code Condition} twin of {@link ConditionPair}. */
    @State(Scope.Group)
    public static class JdkConditionPair {
        final ReentrantLock lock = new ReentrantLock();
        final java.util.concurrent.locks.Condition changed = lock.newCondition();
        /** Guarded by {@code lock}. */
        boolean pongersTurn;

        @Setup(Level.Iteration)
        public void reset() {
            pongersTurn = false;
        }
    }

    // ---- Event ----

    @Benchmark
    @Group("event")
    @GroupThreads(1)
    @Versus(jdk = "parkUnpark", cpython = "threading.Event ping-pong per handoff",
            label = "Event ping-pong (per handoff)")
    public void eventPing(EventPair p, Control control) {
        p.ping.set();
        while (!p.pong.waitFor(TICK)) {
            if (control.stopMeasurement) {
                return;
            }
        }
        p.pong.clear();
    }

    @Benchmark
    @Group("event")
    @GroupThreads(1)
    public void eventPong(EventPair p, Control control) {
        while (!p.ping.waitFor(TICK)) {
            if (control.stopMeasurement) {
                return;
            }
        }
        // Cleared before the turn goes back: the pinger's next set() comes after this.
        p.ping.clear();
        p.pong.set();
    }

    // ---- Condition ----

    @Benchmark
    @Group("condition")
    @GroupThreads(1)
    @Versus(jdk = "parkUnpark", cpython = "threading.Condition ping-pong per handoff",
            label = "Condition ping-pong (per handoff)")
    public void conditionPing(ConditionPair p, Control control) {
        ping(p, control);
    }

    @Benchmark
    @Group("condition")
    @GroupThreads(1)
    public void conditionPong(ConditionPair p, Control control) {
        pong(p, control);
    }

    @Benchmark
    @Group("conditionLock")
    @GroupThreads(1)
    @Versus(jdk = "parkUnpark", cpython = "threading.Condition(Lock) ping-pong per handoff",
            label = "Condition(Lock) ping-pong (per handoff)")
    public void conditionLockPing(ConditionLockPair p, Control control) {
        ping(p, control);
    }

    @Benchmark
    @Group("conditionLock")
    @GroupThreads(1)
    public void conditionLockPong(ConditionLockPair p, Control control) {
        pong(p, control);
    }

    private static void ping(ConditionPair p, Control control) {
        p.condition.acquire();
        try {
            p.pongersTurn = true;
            p.condition.notifyOne();
            while (p.pongersTurn) {
                if (control.stopMeasurement) {
                    return;
                }
                p.condition.waitFor(TICK);
            }
        } finally {
            p.condition.release();
        }
    }

    private static void pong(ConditionPair p, Control control) {
        p.condition.acquire();
        try {
            while (!p.pongersTurn) {
                if (control.stopMeasurement) {
                    return;
                }
                p.condition.waitFor(TICK);
            }
            p.pongersTurn = false;
            p.condition.notifyOne();
        } finally {
            p.condition.release();
        }
    }

    // ---- JDK baseline: volatile flag + park/unpark ----

    /** JDK baseline: the pinger sets a flag and unparks; the ponger answers likewise. */
    @Benchmark
    @Group("parkUnpark")
    @GroupThreads(1)
    public void parkPing(ParkPair p, Control control) {
        java.lang.Thread me = java.lang.Thread.currentThread();
        if (p.pinger != me) {
            p.pinger = me;
        }
        p.ping = true;
        // Volatile write of ping then read of ponger, against the ponger's write of itself then
        // read of ping: one of the two sees the other, so no wake-up is lost.
        LockSupport.unpark(p.ponger);
        while (!p.pong) {
            if (control.stopMeasurement) {
                return;
            }
            LockSupport.parkNanos(TICK_NANOS);
        }
        p.pong = false;
    }

    @Benchmark
    @Group("parkUnpark")
    @GroupThreads(1)
    public void parkPong(ParkPair p, Control control) {
        java.lang.Thread me = java.lang.Thread.currentThread();
        if (p.ponger != me) {
            p.ponger = me;
        }
        while (!p.ping) {
            if (control.stopMeasurement) {
                return;
            }
            LockSupport.parkNanos(TICK_NANOS);
        }
        p.ping = false;
        p.pong = true;
        LockSupport.unpark(p.pinger);
    }

    // ---- extra reference: ReentrantLock + Condition ----

    @Benchmark
    @Group("reentrantLockCondition")
    @GroupThreads(1)
    public void jdkConditionPing(JdkConditionPair p, Control control) throws InterruptedException {
        p.lock.lock();
        try {
            p.pongersTurn = true;
            p.changed.signal();
            while (p.pongersTurn) {
                if (control.stopMeasurement) {
                    return;
                }
                p.changed.await(TICK_NANOS, TimeUnit.NANOSECONDS);
            }
        } finally {
            p.lock.unlock();
        }
    }

    @Benchmark
    @Group("reentrantLockCondition")
    @GroupThreads(1)
    public void jdkConditionPong(JdkConditionPair p, Control control) throws InterruptedException {
        p.lock.lock();
        try {
            while (!p.pongersTurn) {
                if (control.stopMeasurement) {
                    return;
                }
                p.changed.await(TICK_NANOS, TimeUnit.NANOSECONDS);
            }
            p.pongersTurn = false;
            p.changed.signal();
        } finally {
            p.lock.unlock();
        }
    }
}
