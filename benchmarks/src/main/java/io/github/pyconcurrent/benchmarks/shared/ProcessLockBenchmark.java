package io.github.pyconcurrent.benchmarks.shared;

import io.github.pyconcurrent.benchmarks.Versus;
import io.github.pyconcurrent.shared.Lock;
import io.github.pyconcurrent.shared.RLock;
import io.github.pyconcurrent.shared.Semaphore;
import io.github.pyconcurrent.threading.Held;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Uncontended acquire + release of the process-shared {@link Lock}, {@link RLock} and
 * {@link Semaphore} (Python's {@code multiprocessing.Lock()} etc.: {@code acquire(); release()}),
 * against the in-heap {@link ReentrantLock}. The shared ones are a CAS and a swap on a word of a
 * mapped {@code /dev/shm} segment; goal: the Lock at or under 15 ns (CPython 3.11 here: 30 ns).
 *
 * <p>Every thread has its own locks ({@code Scope.Thread}): the cost when nobody competes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ProcessLockBenchmark {
    private final Lock lock = new Lock();
    private final RLock rlock = new RLock();
    private final Semaphore semaphore = new Semaphore(1);
    private final ReentrantLock reentrantLock = new ReentrantLock();

    @Benchmark
    @Versus(jdk = "reentrantLock", cpython = "multiprocessing.Lock acquire+release", label = "process Lock acquire+release")
    public void lock() {
        lock.acquire();
        lock.release();
    }

    @Benchmark
    @Versus(jdk = "reentrantLock", cpython = "multiprocessing.Lock with", label = "process Lock with-block (hold())")
    public void lockHold() {
        try (Held held = lock.hold()) {
            // Python's `with lock: pass`.
        }
    }

    @Benchmark
    @Versus(jdk = "reentrantLock", cpython = "multiprocessing.RLock acquire+release", label = "process RLock acquire+release")
    public void rlock() {
        rlock.acquire();
        rlock.release();
    }

    @Benchmark
    @Versus(jdk = "reentrantLock", cpython = "multiprocessing.Semaphore acquire+release", label = "process Semaphore acquire+release")
    public void semaphore() {
        semaphore.acquire();
        semaphore.release();
    }

    /** JDK baseline: {@code ReentrantLock.lock(); unlock()}. */
    @Benchmark
    public void reentrantLock() {
        reentrantLock.lock();
        reentrantLock.unlock();
    }
}
