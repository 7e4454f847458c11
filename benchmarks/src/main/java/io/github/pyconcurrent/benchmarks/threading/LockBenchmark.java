package io.github.pyconcurrent.benchmarks.threading;

import io.github.pyconcurrent.benchmarks.Versus;
import io.github.pyconcurrent.threading.Held;
import io.github.pyconcurrent.threading.Lock;
import io.github.pyconcurrent.threading.RLock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Uncontended acquire + release of {@link Lock} and {@link RLock} (Python's
 * {@code lock.acquire(); lock.release()} and {@code with lock:}), and RLock re-entered to depth 2,
 * against {@link ReentrantLock}; {@code synchronized} is an extra reference row.
 *
 * <p>Every thread has its own locks ({@code Scope.Thread}): this is the cost of the lock when
 * nobody competes for it, which is the common case and the one CPython's figures are for.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LockBenchmark {
    private final Lock lock = new Lock();
    private final RLock rlock = new RLock();
    private final ReentrantLock reentrantLock = new ReentrantLock();
    private final Object monitor = new Object();

    @Benchmark
    @Versus(jdk = "reentrantLock", cpython = "threading.Lock acquire+release", label = "Lock acquire+release")
    public void lock() {
        lock.acquire();
        lock.release();
    }

    @Benchmark
    @Versus(jdk = "reentrantLock", cpython = "threading.Lock with", label = "Lock with-block (hold())")
    public void lockHold() {
        try (Held held = lock.hold()) {
            // Python's `with lock: pass`.
        }
    }

    @Benchmark
    @Versus(jdk = "reentrantLock", cpython = "threading.RLock acquire+release", label = "RLock acquire+release")
    public void rlock() {
        rlock.acquire();
        rlock.release();
    }

    @Benchmark
    @Versus(jdk = "reentrantLockDepth2", cpython = "threading.RLock depth 2", label = "RLock re-entrant depth 2")
    public void rlockDepth2() {
        rlock.acquire();
        rlock.acquire();
        rlock.release();
        rlock.release();
    }

    /** JDK baseline: {@code ReentrantLock.lock(); unlock()}. */
    @Benchmark
    public void reentrantLock() {
        reentrantLock.lock();
        reentrantLock.unlock();
    }

    /** JDK baseline for depth 2. */
    @Benchmark
    public void reentrantLockDepth2() {
        reentrantLock.lock();
        reentrantLock.lock();
        reentrantLock.unlock();
        reentrantLock.unlock();
    }

    /** Extra reference: an empty {@code synchronized} block on a field (not elided: it escapes). */
    @Benchmark
    public void synchronizedBlock() {
        synchronized (monitor) {
            // Only the monitor enter/exit is measured.
        }
    }
}
