package io.github.pyconcurrent.threading.suites;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * CPython lock_tests' {@code Bunch}: starts {@code n} threads running one task (given its index),
 * waits for them with a generous timeout, and collects what they threw.
 *
 * <pre>{@code
 * try (Bunch bunch = Bunch.start(5, i -> lock.acquire())) {
 *     bunch.awaitFinished();
 * }
 * }</pre>
 *
 * <p>Threads are Java daemon threads, so a failing test never keeps the JVM alive; {@link #close()}
 * interrupts and joins any still running. Blocked-ness is judged by completion
 * ({@link #finishedCount()}), never by {@code Thread.State} alone: a thread blocked in a futex
 * system call (the process-shared primitives) shows {@code RUNNABLE}.
 */
public final class Bunch implements AutoCloseable {

    /** A test task; it may throw anything, which {@link #awaitFinished()} reports. */
    @FunctionalInterface
    public interface Task {
        void run(int index) throws Exception;
    }

    private final List<java.lang.Thread> threads = new ArrayList<>();
    private final CountDownLatch started;
    private final CountDownLatch finished;
    private final AtomicInteger finishedCount = new AtomicInteger();
    private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

    private Bunch(int n, Task task) {
        started = new CountDownLatch(n);
        finished = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            final int index = i;
            java.lang.Thread t = new java.lang.Thread(() -> {
                started.countDown();
                try {
                    task.run(index);
                } catch (Throwable e) {
                    errors.add(e);
                } finally {
                    finishedCount.incrementAndGet();
                    finished.countDown();
                }
            }, "bunch-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(java.lang.Thread::start);
    }

    /** Starts {@code n} threads, each running {@code task.run(i)}. */
    public static Bunch start(int n, Task task) {
        return new Bunch(n, task);
    }

    /** The threads, in index order. */
    public List<java.lang.Thread> threads() {
        return threads;
    }

    /** Waits until every thread has begun running its task. */
    public void awaitStarted() {
        await(started, "start");
    }

    /** How many tasks have finished (returned or thrown). */
    public int finishedCount() {
        return finishedCount.get();
    }

    /** Waits for every task to finish; fails if one threw (the first error, others suppressed) or on timeout. */
    public void awaitFinished() {
        await(finished, "finish");
        Throwable first = null;
        for (Throwable e : errors) {
            if (first == null) {
                first = new AssertionError("a bunch thread failed: " + e, e);
            } else {
                first.addSuppressed(e);
            }
        }
        if (first != null) {
            throw (AssertionError) first;
        }
    }

    /** Waits for every task to finish; returns what they threw, without failing for it. */
    public List<Throwable> awaitFinishedCollectingErrors() {
        await(finished, "finish");
        return new ArrayList<>(errors);
    }

    /**
     * Waits until {@code count} tasks have finished (polling a real condition, bounded by the
     * suite timeout).
     */
    public void awaitFinishedCount(int count) {
        Blocking.awaitCondition(() -> finishedCount.get() >= count, "finishedCount >= " + count);
    }

    /**
     * Best effort: waits until every unfinished thread is parked (see {@link Blocking#awaitParked}).
     */
    public void awaitParked() {
        for (java.lang.Thread t : threads) {
            Blocking.awaitParked(t);
        }
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(Blocking.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("bunch threads did not " + what + " within " + Blocking.TIMEOUT);
            }
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            fail("interrupted", e);
        }
    }

    /** Interrupts any thread still running and joins them all briefly. */
    @Override
    public void close() {
        for (java.lang.Thread t : threads) {
            if (t.isAlive()) {
                t.interrupt();
            }
        }
        for (java.lang.Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                java.lang.Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
