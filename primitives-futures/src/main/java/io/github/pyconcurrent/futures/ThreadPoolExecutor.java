package io.github.pyconcurrent.futures;

import io.github.pyconcurrent.multiprocessing.Multiprocessing;
import io.github.pyconcurrent.threading.Thread;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;

/**
 * A pool of threads that run submitted tasks: Python's
 * {@code concurrent.futures.ThreadPoolExecutor}, and a {@link java.util.concurrent.ExecutorService}.
 *
 * <pre>{@code
 * try (ThreadPoolExecutor executor = new ThreadPoolExecutor(4)) {     // with ThreadPoolExecutor(4) as executor:
 *     Future<String> page = executor.submit(() -> fetch(url));
 *     CompletableFuture<Integer> size = CompletableFuture.supplyAsync(() -> fetch(url).length(), executor);
 *     System.out.println(page.result().length() + " " + size.join());
 * }   // close(): queued tasks finish, every worker thread is gone
 * }</pre>
 *
 * <h2>Workers</h2>
 * Workers are this project's {@link Thread}s, named {@code PREFIX_N} ({@code ThreadPoolExecutor-K_N}
 * by default), started one at a time as tasks arrive and no worker is idle, up to
 * {@code maxWorkers} (default {@code min(32, cpus + 4)}, as Python); each runs the initializer
 * first. They are daemon threads, and as in Python (3.9+) an executor still running when the JVM
 * exits is shut down with {@code wait=true} by a shutdown hook: queued tasks run, then the workers
 * end. If an initializer throws, the executor is broken, as Python's {@code BrokenThreadPool}:
 * pending tasks fail with {@link IllegalStateException} (its cause the initializer's exception) and
 * new ones are refused with {@link java.util.concurrent.RejectedExecutionException}.
 *
 * <h2>Stopping</h2>
 * {@link #shutdownNow()} interrupts the running tasks' threads, as the JDK's executors do;
 * {@link Future#cancel(boolean) cancel(true)} interrupts its own task's thread. Python has
 * neither.
 *
 * <p>Compared with {@link java.util.concurrent.ThreadPoolExecutor}: no core size, keep-alive or
 * bounded queue (Python's pool grows to its maximum and stays), and futures are
 * {@link java.util.concurrent.CompletableFuture}s with Python's methods.
 */
public class ThreadPoolExecutor extends AbstractExecutor {
    private static final AtomicInteger EXECUTORS = new AtomicInteger();
    /** Running executors, shut down (waiting) at JVM exit as Python's {@code _python_exit} does. */
    private static final Set<ThreadPoolExecutor> LIVE = ConcurrentHashMap.newKeySet();

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new java.lang.Thread(() -> {
                for (ThreadPoolExecutor e : List.copyOf(LIVE)) {
                    e.shutdown(true, false);
                }
            }, "pyconcurrent-futures-exit"));
        } catch (IllegalStateException e) {
            // First used while the JVM is already exiting: there is no later exit to wait at.
        }
    }

    private final int maxWorkers;
    private final String threadNamePrefix;
    private final Runnable initializer;
    private final Condition workAvailable = lock.newCondition();
    // Guarded by lock.
    private final List<Thread> workers = new ArrayList<>();
    private int started;
    /** Workers waiting on workAvailable, and signals sent to them not yet taken up. */
    private int waiting;
    private int signalled;

    /**
     * Python's {@code ThreadPoolExecutor(max_workers)}.
     *
     * @param maxWorkers the most threads it runs; 0 for the default ({@code min(32, cpus + 4)}, as Python)
     * @throws IllegalArgumentException if {@code maxWorkers} is negative
     */
    public ThreadPoolExecutor(int maxWorkers) {
        this(builder().maxWorkers(maxWorkers));
    }

    /** Python's {@code ThreadPoolExecutor()}: {@code min(32, cpus + 4)} workers. */
    public ThreadPoolExecutor() {
        this(builder());
    }

    private ThreadPoolExecutor(Builder b) {
        this.maxWorkers = b.maxWorkers > 0 ? b.maxWorkers : Math.min(32, Multiprocessing.cpuCount() + 4);
        this.threadNamePrefix = b.threadNamePrefix != null ? b.threadNamePrefix
                : "ThreadPoolExecutor-" + (EXECUTORS.getAndIncrement());
        this.initializer = b.initializer;
    }

    /**
     * {@code ThreadPoolExecutor.builder().maxWorkers(4).threadNamePrefix("io").initializer(...).build()}.
     *
     * @return a new builder with every setting at its default
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Python's {@code ThreadPoolExecutor(max_workers, thread_name_prefix, initializer, initargs)}. */
    public static final class Builder extends ExecutorBuilder<Builder, Runnable> {
        private String threadNamePrefix;

        private Builder() {}

        /**
         * Workers are named {@code PREFIX_0}, {@code PREFIX_1}, ...
         *
         * @param threadNamePrefix the prefix of the workers' names
         * @return this builder
         */
        public Builder threadNamePrefix(String threadNamePrefix) {
            this.threadNamePrefix = threadNamePrefix;
            return this;
        }

        /**
         * Builds the executor; its threads start as tasks arrive.
         *
         * @return a new executor with this builder's settings
         */
        public ThreadPoolExecutor build() {
            return new ThreadPoolExecutor(this);
        }
    }

    /**
     * The most threads this executor runs.
     *
     * @return the most threads this executor runs
     */
    public int maxWorkers() {
        return maxWorkers;
    }

    @Override
    boolean admit(WorkItem<?> item) {
        pending.add(item);
        if (waiting > signalled) {
            signalled++;
            workAvailable.signal();
        } else if (workers.size() < maxWorkers) {
            startWorker();
        }
        return false;
    }

    @Override
    void start(WorkItem<?> item) {
        throw new AssertionError("admit never starts a task directly");
    }

    /** Under lock. */
    private void startWorker() {
        Thread worker = new Thread(threadNamePrefix + "_" + started++, this::work, true);
        workers.add(worker);
        if (workers.size() == 1) {
            LIVE.add(this);
        }
        worker.start();
    }

    private void work() {
        try {
            if (initializer != null) {
                try {
                    initializer.run();
                } catch (Throwable t) {
                    System.getLogger(ThreadPoolExecutor.class.getName())
                            .log(System.Logger.Level.ERROR, "Exception in initializer of " + this, t);
                    breakWith(t);
                    return;
                }
            }
            WorkItem<?> item;
            while ((item = take()) != null) {
                item.runHere();
            }
        } finally {
            workerExited();
        }
    }

    /** The next task, or null when this worker should exit. */
    private WorkItem<?> take() {
        lock.lock();
        try {
            while (true) {
                if (state >= STOP || broken != null) {
                    return null;
                }
                WorkItem<?> item = pending.poll();
                if (item != null) {
                    return item;
                }
                if (state >= SHUTDOWN) {
                    return null;
                }
                waiting++;
                workAvailable.awaitUninterruptibly();
                waiting--;
                if (signalled > 0) {
                    signalled--;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void workerExited() {
        boolean last;
        lock.lock();
        try {
            workers.remove(io.github.pyconcurrent.threading.Threading.currentThread());
            last = workers.isEmpty() && state >= SHUTDOWN && (pending.isEmpty() || state >= STOP);
        } finally {
            lock.unlock();
        }
        if (last) {
            LIVE.remove(this);
            terminated();
        }
    }

    @Override
    void onShutdown(boolean now) {
        boolean none;
        lock.lock();
        try {
            workAvailable.signalAll();
            if (now) {
                for (Thread w : workers) {
                    w.javaThread().interrupt();
                }
            }
            none = workers.isEmpty() && state != TERMINATED;
        } finally {
            lock.unlock();
        }
        if (none) {
            LIVE.remove(this);
            terminated();
        }
    }

    /**
     * The worker threads now running (for tests and monitoring).
     *
     * @return a snapshot of the worker threads now running
     */
    public List<Thread> workers() {
        lock.lock();
        try {
            return List.copyOf(workers);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ThreadPoolExecutor[" + threadNamePrefix + ", maxWorkers=" + maxWorkers + "]";
    }
}
