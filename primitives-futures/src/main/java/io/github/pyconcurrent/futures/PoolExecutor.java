package io.github.pyconcurrent.futures;

import io.github.pyconcurrent.multiprocessing.Pool;
import io.github.pyconcurrent.multiprocessing.PoolLike;
import io.github.pyconcurrent.multiprocessing.SerializableCallable;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;

/**
 * An executor over any {@link PoolLike}: the {@link Pool} of worker JVMs on this machine or a
 * cluster's pool (primitives-cluster), with the same {@code submit}, {@code map}, {@link Future}s
 * and {@code ExecutorService} contract as {@link ThreadPoolExecutor}.
 *
 * <pre>{@code
 * try (PoolExecutor executor = PoolExecutor.of(cluster.pool())) {
 *     Future<Integer> f = executor.submit(() -> expensive(42));      // runs on a member
 *     for (Iterator<Future<Integer>> it = Futures.asCompleted(List.of(f)); it.hasNext(); ) { ... }
 * }
 * }</pre>
 *
 * <h2>Tasks travel</h2>
 * A task runs in another JVM, so it must be serializable with everything it captures: a lambda
 * passed to {@link #submit(SerializableCallable)} or {@link #map} is. A task that is not is refused
 * at once with {@link RejectedExecutionException} naming its class (and the captured class that is
 * not serializable). In particular {@code CompletableFuture.supplyAsync(supplier, executor)} and
 * {@code runAsync} hand the executor a JDK-internal {@code Runnable} that can never be serialized:
 * use {@link #submit(SerializableCallable)} (its {@link Future} is a {@code CompletableFuture}) or
 * a {@link ThreadPoolExecutor} there.
 *
 * <h2>Dispatch</h2>
 * Tasks wait in this executor until the pool has room: at most {@code maxInFlight} are handed to
 * the pool at a time (a few per worker, so the workers never wait for the next task). A task is
 * {@link Future#running() running} from when it is handed over, as in CPython, where a task in the
 * call queue is running; only tasks still waiting here can be {@link Future#cancel() cancelled},
 * cancelled by {@code shutdown(cancelFutures)} or returned by {@link #shutdownNow()}.
 *
 * <h2>Failures</h2>
 * A task's exception fails its future (the cause of {@code result()}'s
 * {@link CompletionException}). A worker that dies running a task fails that future only, with
 * {@link io.github.pyconcurrent.multiprocessing.WorkerDiedError}; the pool replaces the worker and
 * every other task goes on. <b>Deliberate difference:</b> CPython's {@code ProcessPoolExecutor}
 * then raises {@code BrokenProcessPool} for every pending future and refuses new tasks.
 *
 * <h2>The pool</h2>
 * The executor takes the pool over: shutting it down closes the pool once the last task has
 * finished ({@link #shutdownNow()} terminates it, killing the running tasks, whose futures fail
 * with {@link java.util.concurrent.CancellationException}).
 */
public class PoolExecutor extends AbstractExecutor {
    /** Tasks in flight per worker, when the pool's worker count is known ({@value #AHEAD_PROPERTY}). */
    static final String AHEAD_PROPERTY = "pyconcurrent.futures.tasksAheadPerWorker";
    static final int TASKS_AHEAD_PER_WORKER = Math.max(1, Integer.getInteger(AHEAD_PROPERTY, 16));
    /** Tasks in flight on a pool whose worker count is not known (a cluster's). */
    static final int DEFAULT_MAX_IN_FLIGHT = 64;

    private final PoolLike pool;
    private final int maxInFlight;
    /** Signalled when the last task in flight has finished. */
    private final Condition drained = lock.newCondition();
    // Guarded by lock.
    private int inFlight;
    private boolean closing;

    PoolExecutor(PoolLike pool, int maxInFlight) {
        this.pool = Objects.requireNonNull(pool, "pool");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
    }

    /**
     * An executor over {@code pool}, which it takes over (see the class comment). A {@link Pool}
     * gets {@value #AHEAD_PROPERTY} (default 16) tasks in flight per worker, another pool
     * {@value #DEFAULT_MAX_IN_FLIGHT} in all.
     *
     * @param pool the pool to run the tasks on; the executor owns it from now on
     * @return a new executor over {@code pool}
     * @throws NullPointerException if {@code pool} is null
     */
    public static PoolExecutor of(PoolLike pool) {
        int max = pool instanceof Pool p ? Math.max(1, p.workerPids().size()) * TASKS_AHEAD_PER_WORKER : DEFAULT_MAX_IN_FLIGHT;
        return new PoolExecutor(pool, max);
    }

    /**
     * An executor over {@code pool} that hands it at most {@code maxInFlight} tasks at a time.
     *
     * @param pool the pool to run the tasks on; the executor owns it from now on
     * @param maxInFlight the most tasks handed to the pool at once
     * @return a new executor over {@code pool}
     * @throws NullPointerException if {@code pool} is null
     * @throws IllegalArgumentException if {@code maxInFlight} is less than 1
     */
    public static PoolExecutor of(PoolLike pool, int maxInFlight) {
        return new PoolExecutor(pool, maxInFlight);
    }

    /**
     * The pool this executor runs its tasks on.
     *
     * @return the pool this executor runs its tasks on
     */
    public PoolLike pool() {
        return pool;
    }

    // ---------------------------------------------------------------- submitting

    /** Refuses, now, a task that cannot travel to a worker. */
    @Override
    <T> Callable<T> prepare(Callable<T> task, Object original) {
        String problem = null;
        if (!(original instanceof Serializable)) {
            problem = original.getClass().getName() + " is not Serializable";
        } else {
            try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
                out.writeObject(task);
            } catch (NotSerializableException e) {
                problem = "it captures a " + e.getMessage() + ", which is not Serializable";
            } catch (IOException | RuntimeException e) {
                problem = "it cannot be serialized (" + e + ")";
            }
        }
        if (problem == null) {
            return task instanceof SerializableCallable<T> ready ? ready : new Shipped<>(task);
        }
        String type = original.getClass().getName();
        if (type.startsWith("java.util.concurrent.CompletableFuture$")) {
            throw new RejectedExecutionException("cannot send a " + type + " to a worker JVM: " + problem
                    + ". CompletableFuture.supplyAsync/runAsync hand the executor a JDK-internal task that cannot be"
                    + " serialized: use executor.submit(SerializableCallable), whose Future is a CompletableFuture,"
                    + " or a ThreadPoolExecutor for supplyAsync");
        }
        throw new RejectedExecutionException("cannot send a task of " + type + " to a worker JVM: " + problem
                + ". Submit a lambda as a SerializableCallable (submit(() -> value)) that captures only serializable values");
    }

    /**
     * A serializable Callable that is not a SerializableCallable, as the pool wants it.
     *
     * @param <T> the type of the task's value
     * @param task the serializable Callable
     */
    private record Shipped<T>(Callable<T> task) implements SerializableCallable<T> {
        @Override
        public T call() throws Exception {
            return task.call();
        }
    }

    /** On the pool's result thread: frees the slot (sending the next tasks), then completes the future. */
    private <T> void finished(WorkItem<T> item, T value, Throwable error) {
        launch(release(1));
        item.finish(value, error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
    }

    @Override
    boolean admit(WorkItem<?> item) {
        if (inFlight < maxInFlight && pending.isEmpty()) {
            inFlight++;
            return item.future.setRunningOrNotifyCancel() || releaseOne();
        }
        pending.add(item);
        return false;
    }

    /** Under lock: a slot reserved for a task that will not be sent is given back; false. */
    private boolean releaseOne() {
        inFlight--;
        return false;
    }

    @Override
    void start(WorkItem<?> item) {
        launch(List.of(item));
    }

    /** Hands {@code batch} (marked running, slots reserved) to the pool; refills the slots of any the pool refused. */
    private void launch(List<WorkItem<?>> batch) {
        while (!batch.isEmpty()) {
            int refused = 0;
            for (WorkItem<?> item : batch) {
                if (!send(item)) {
                    refused++;
                }
            }
            batch = refused == 0 ? List.of() : release(refused);
        }
    }

    private <T> boolean send(WorkItem<T> item) {
        try {
            pool.applyAsync((SerializableCallable<T>) item.task, v -> finished(item, v, null), e -> finished(item, null, e));
            return true;
        } catch (RuntimeException e) {
            item.finish(null, e);
            return false;
        }
    }

    /**
     * Frees {@code slots} and takes the next tasks to send (skipping cancelled ones), marking them
     * running; wakes the closer when nothing is left.
     */
    private List<WorkItem<?>> release(int slots) {
        List<WorkItem<?>> next = null;
        lock.lock();
        try {
            inFlight -= slots;
            WorkItem<?> item;
            while (inFlight < maxInFlight && (item = pending.poll()) != null) {
                if (item.future.setRunningOrNotifyCancel()) {
                    inFlight++;
                    if (next == null) {
                        next = new ArrayList<>();
                    }
                    next.add(item);
                }
            }
            if (inFlight == 0 && pending.isEmpty() && state >= SHUTDOWN) {
                drained.signalAll();
            }
        } finally {
            lock.unlock();
        }
        return next == null ? List.of() : next;
    }

    // ---------------------------------------------------------------- shutting down

    @Override
    void onShutdown(boolean now) {
        boolean startCloser;
        lock.lock();
        try {
            startCloser = !closing;
            closing = true;
        } finally {
            lock.unlock();
        }
        if (now) {
            pool.terminate();
        }
        if (startCloser) {
            java.lang.Thread.ofPlatform().daemon().name(this + "-closer").start(this::closeWhenDrained);
        }
    }

    /** Waits until no task is left, then closes the pool (which waits for its workers) and terminates. */
    private void closeWhenDrained() {
        lock.lock();
        try {
            while (inFlight > 0 || !pending.isEmpty()) {
                drained.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
        try {
            pool.close();
        } finally {
            terminated();
        }
    }

    @Override
    public String toString() {
        return "PoolExecutor[" + pool + ", maxInFlight=" + maxInFlight + "]";
    }
}
