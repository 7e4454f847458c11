package io.github.pyconcurrent.futures;

import io.github.pyconcurrent.multiprocessing.SerializableCallable;
import io.github.pyconcurrent.multiprocessing.SerializableFunction;
import io.github.pyconcurrent.threading.Threading;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What every executor of this package offers: Python's abstract {@code concurrent.futures.Executor}
 * ({@code submit}, {@code map}, {@code shutdown}, {@code with}), which is also a
 * {@link java.util.concurrent.ExecutorService} with the JDK's contract ({@code shutdownNow},
 * {@code awaitTermination}, {@code invokeAll}, {@code invokeAny}, {@code close}), so an executor
 * plugs into anything that takes an {@code Executor}.
 *
 * <h2>For the caller</h2>
 * <ul>
 *   <li>{@link #submit(Callable)} schedules a task and returns its {@link Future}; after shutdown
 *       it throws {@link RejectedExecutionException}. {@link #execute(Runnable)} does the same
 *       without a future: an exception from such a task goes to {@link Threading#excepthook()},
 *       as one escaping a thread's {@code run()}, so it is never lost silently.</li>
 *   <li>{@link #map(SerializableFunction, Iterable, Duration, int)} submits every item at the
 *       call (in chunks) and yields the results in input order, lazily.</li>
 *   <li>{@link #shutdown(boolean, boolean)} is Python's {@code shutdown(wait, cancel_futures)};
 *       {@link #shutdown()} and {@link #shutdownNow()} are the JDK's; {@link #close()} is
 *       {@code shutdown(true, false)} with the JDK's handling of an interrupt.</li>
 * </ul>
 *
 * <h2>For subclasses</h2>
 * Tasks not yet started wait in {@link #pending}, under {@link #lock}, with the run state. A
 * subclass decides in {@link #admit} whether a new task waits there or starts at once (then
 * {@link #start} runs outside the lock), takes tasks from {@code pending} as workers free up,
 * reacts to shutdown in {@link #onShutdown}, and calls {@link #terminated()} when its last worker
 * is gone.
 *
 * <p><b>Memory consistency effects:</b> actions before a task is submitted happen-before the
 * task runs, which happen-before its future completes.
 */
public abstract class AbstractExecutor implements ExecutorService {
    /** Run states, in order: each only moves forward. */
    static final int RUNNING = 0;
    static final int SHUTDOWN = 1;
    static final int STOP = 2;
    static final int TERMINATED = 3;

    final ReentrantLock lock = new ReentrantLock();
    private final Condition termination = lock.newCondition();
    /** Written under lock; read without it where a stale value is harmless. */
    volatile int state = RUNNING;
    /** Tasks not yet started, oldest first. Guarded by lock. */
    final ArrayDeque<WorkItem<?>> pending = new ArrayDeque<>();
    /** Why the executor broke (a worker initializer failed), or null. Guarded by lock. */
    Throwable broken;

    AbstractExecutor() {}

    // ---------------------------------------------------------------- for subclasses

    /** Makes {@code task} runnable by this executor's workers, or refuses it (a process executor: not serializable). */
    <T> Callable<T> prepare(Callable<T> task, Object original) {
        return task;
    }

    /**
     * Under {@link #lock}, state RUNNING: puts {@code item} in {@link #pending} (and wakes or starts
     * a worker), or returns true to have {@link #start} run it at once.
     */
    abstract boolean admit(WorkItem<?> item);

    /** Outside the lock: starts an item {@link #admit} let through. */
    abstract void start(WorkItem<?> item);

    /** Outside the lock, after the state moved to SHUTDOWN or ({@code now}) STOP. */
    abstract void onShutdown(boolean now);

    /** Marks the executor terminated and wakes {@link #awaitTermination} waiters. */
    void terminated() {
        lock.lock();
        try {
            state = TERMINATED;
            termination.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- submitting

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return schedule(prepare(task, task), task, false);
    }

    /**
     * As {@link #submit(Callable)}; a lambda passed here is serializable, so the same call works
     * for a {@link ProcessPoolExecutor}.
     *
     * @param <T> the type of the task's value
     * @param task the task to run
     * @return the task's future
     * @throws java.util.concurrent.RejectedExecutionException if the executor is shut down or broken
     * @throws NullPointerException if {@code task} is null
     */
    public <T> Future<T> submit(SerializableCallable<T> task) {
        return submit((Callable<T>) task);
    }

    @Override
    public Future<?> submit(Runnable task) {
        return submit(task, null);
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        return schedule(prepare(new RunnableCall<>(task, result), task), task, false);
    }

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        schedule(prepare(new RunnableCall<>(command, null), command), command, true);
    }

    /**
     * A Runnable as a task; serializable when the Runnable is.
     *
     * @param <T> the type of the result
     * @param task the Runnable to run
     * @param result what the call returns once {@code task} ran
     */
    private record RunnableCall<T>(Runnable task, T result) implements SerializableCallable<T> {
        @Override
        public T call() {
            task.run();
            return result;
        }
    }

    private <T> Future<T> schedule(Callable<T> task, Object original, boolean reportFailure) {
        WorkItem<T> item = new WorkItem<>(task, original, reportFailure);
        boolean startNow;
        lock.lock();
        try {
            if (state != RUNNING) {
                throw new RejectedExecutionException(broken != null
                        ? this + " is broken: a worker's initializer failed (" + broken + ")"
                        : "cannot schedule new futures after shutdown (" + this + ")");
            }
            startNow = admit(item);
        } finally {
            lock.unlock();
        }
        if (startNow) {
            start(item);
        }
        return item.future;
    }

    /** Fails every pending task with {@code cause} and refuses new ones (a worker's initializer failed). */
    void breakWith(Throwable cause) {
        List<WorkItem<?>> failed;
        lock.lock();
        try {
            if (broken == null) {
                broken = cause;
            }
            if (state < SHUTDOWN) {
                state = SHUTDOWN;
            }
            failed = new ArrayList<>(pending);
            pending.clear();
        } finally {
            lock.unlock();
        }
        IllegalStateException error = new IllegalStateException(
                "A worker initializer failed, the executor is no longer usable: fix the initializer", cause);
        for (WorkItem<?> item : failed) {
            item.future.completeExceptionally(error);
        }
        onShutdown(false);
    }

    // ---------------------------------------------------------------- map

    /**
     * Python's {@code map(fn, iterable)}: as {@link #map(SerializableFunction, Iterable, Duration, int)} with no timeout, one item per task.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param fn the function to apply to each item
     * @param iterable the items
     * @return an iterator over the results, in the order of the items
     * @throws java.util.concurrent.RejectedExecutionException if the executor is shut down or broken
     */
    public <T, R> Iterator<R> map(SerializableFunction<T, R> fn, Iterable<T> iterable) {
        return map(fn, iterable, null, 1);
    }

    /**
     * Python's {@code map(fn, iterable, timeout=, chunksize=)}: submits {@code fn} over every item
     * now, {@code chunksize} items per task, and returns an iterator over the results in input
     * order. {@code next()} throws {@link TimeoutError} if the next result is not ready
     * {@code timeout} after this call ({@code null}: waits for ever), and
     * {@link java.util.concurrent.CompletionException} (the task's exception as its cause) if its
     * task failed; either way the tasks not yet started are cancelled.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param fn the function to apply to each item
     * @param iterable the items, all submitted before this method returns
     * @param timeout how long after this call each result may take; {@code null} waits for ever
     * @param chunksize how many items each task takes (less than 1 counts as 1)
     * @return an iterator over the results, in the order of the items
     * @throws java.util.concurrent.RejectedExecutionException if the executor is shut down or broken
     * @throws NullPointerException if {@code fn} is null
     */
    public <T, R> Iterator<R> map(SerializableFunction<T, R> fn, Iterable<T> iterable, Duration timeout, int chunksize) {
        Objects.requireNonNull(fn, "fn");
        Long deadline = timeout == null ? null : System.nanoTime() + Math.max(0, timeout.toNanos());
        int size = Math.max(1, chunksize);
        List<Future<List<R>>> chunks = new ArrayList<>();
        try {
            List<T> chunk = new ArrayList<>(size);
            for (T item : iterable) {
                chunk.add(item);
                if (chunk.size() == size) {
                    chunks.add(submit(new MapChunk<>(fn, chunk)));
                    chunk = new ArrayList<>(size);
                }
            }
            if (!chunk.isEmpty()) {
                chunks.add(submit(new MapChunk<>(fn, chunk)));
            }
        } catch (RuntimeException | Error e) {
            chunks.forEach(Future::cancel);
            throw e;
        }
        return new MapResults<>(chunks, deadline);
    }

    /**
     * One task of a map: {@code fn} over some items.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param fn the function of the map
     * @param items this task's items
     */
    private record MapChunk<T, R>(SerializableFunction<T, R> fn, List<T> items) implements SerializableCallable<List<R>> {
        @Override
        public List<R> call() {
            List<R> out = new ArrayList<>(items.size());
            for (T item : items) {
                out.add(fn.apply(item));
            }
            return out;
        }
    }

    /** The results of a map, chunk by chunk, in order; futures are dropped as they are consumed. */
    private static final class MapResults<R> implements Iterator<R> {
        private final List<Future<List<R>>> chunks;
        private final Long deadline;
        private int nextChunk;
        private List<R> current = List.of();
        private int index;

        MapResults(List<Future<List<R>>> chunks, Long deadline) {
            this.chunks = chunks;
            this.deadline = deadline;
        }

        @Override
        public boolean hasNext() {
            return index < current.size() || nextChunk < chunks.size();
        }

        @Override
        public R next() {
            while (index >= current.size()) {
                if (nextChunk >= chunks.size()) {
                    throw new NoSuchElementException();
                }
                Future<List<R>> f = chunks.get(nextChunk);
                try {
                    current = deadline == null ? f.result() : f.result(Duration.ofNanos(deadline - System.nanoTime()));
                } catch (RuntimeException e) {
                    for (int i = nextChunk; i < chunks.size(); i++) {
                        chunks.get(i).cancel();
                    }
                    throw e;
                }
                chunks.set(nextChunk++, null);
                index = 0;
            }
            return current.get(index++);
        }
    }

    // ---------------------------------------------------------------- shutting down

    /** The JDK's {@code shutdown()}: no new tasks; queued and running ones finish. Does not wait. */
    @Override
    public void shutdown() {
        shutdown(false, false);
    }

    /**
     * Python's {@code shutdown(wait, cancel_futures)}: no new tasks; with {@code cancelFutures},
     * the tasks not yet started are cancelled; with {@code wait}, returns when every running task
     * has finished and every worker is gone.
     *
     * @param wait whether to return only when every running task has finished and every worker is gone
     * @param cancelFutures whether to cancel the tasks not yet started
     */
    public void shutdown(boolean wait, boolean cancelFutures) {
        List<WorkItem<?>> cancelled = List.of();
        lock.lock();
        try {
            if (state < SHUTDOWN) {
                state = SHUTDOWN;
            }
            if (cancelFutures) {
                cancelled = new ArrayList<>(pending);
                pending.clear();
            }
        } finally {
            lock.unlock();
        }
        for (WorkItem<?> item : cancelled) {
            item.future.cancel();
        }
        onShutdown(false);
        if (wait) {
            try {
                awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                throw UncheckedInterruptedException.restore(e);
            }
        }
    }

    /**
     * The JDK's {@code shutdownNow()}: no new tasks; the tasks not yet started are cancelled and
     * returned (the {@code Runnable} given to {@code execute}/{@code submit}, or a
     * {@code Runnable} calling the {@code Callable}); running ones are stopped as far as the
     * executor can (see the subclass). Does not wait.
     */
    @Override
    public List<Runnable> shutdownNow() {
        List<WorkItem<?>> drained;
        lock.lock();
        try {
            if (state < STOP) {
                state = STOP;
            }
            drained = new ArrayList<>(pending);
            pending.clear();
        } finally {
            lock.unlock();
        }
        List<Runnable> neverStarted = new ArrayList<>(drained.size());
        for (WorkItem<?> item : drained) {
            if (!item.future.isDone() && item.future.cancel()) {
                neverStarted.add(item.asRunnable());
            }
        }
        onShutdown(true);
        return neverStarted;
    }

    @Override
    public boolean isShutdown() {
        return state >= SHUTDOWN;
    }

    @Override
    public boolean isTerminated() {
        return state == TERMINATED;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (state != TERMINATED) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = termination.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Python's {@code with executor:} exit, {@code shutdown(wait=True)}; as the JDK's
     * {@code ExecutorService.close()}, an interrupt while waiting turns into {@link #shutdownNow()}
     * and the interrupt status is set again once the executor has terminated.
     */
    @Override
    public void close() {
        boolean interrupted = false;
        shutdown();
        while (!isTerminated()) {
            try {
                awaitTermination(1, TimeUnit.DAYS);
            } catch (InterruptedException e) {
                if (!interrupted) {
                    shutdownNow();
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            java.lang.Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- invokeAll / invokeAny

    /** The JDK's {@code invokeAll}: runs every task and returns their futures, all done, in the tasks' order. */
    @Override
    public <T> List<java.util.concurrent.Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<java.util.concurrent.Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> t : tasks) {
                futures.add(submit(t));
            }
            for (java.util.concurrent.Future<T> f : futures) {
                awaitDone(f);
            }
            return futures;
        } catch (Throwable t) {
            cancelAll(futures);
            throw t;
        }
    }

    /**
     * The JDK's timed {@code invokeAll}: as {@link #invokeAll(Collection)}, but tasks not done when
     * the time is up are cancelled ({@link Future#cancel(boolean) cancel(true)}).
     */
    @Override
    public <T> List<java.util.concurrent.Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<java.util.concurrent.Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> t : tasks) {
                Objects.requireNonNull(t, "task");
            }
            for (Callable<T> t : tasks) {
                futures.add(submit(t));
            }
            for (java.util.concurrent.Future<T> f : futures) {
                if (!f.isDone()) {
                    try {
                        f.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    } catch (ExecutionException | CancellationException e) {
                        // done: it is in the list
                    } catch (TimeoutException e) {
                        cancelAll(futures);
                        return futures;
                    }
                }
            }
            return futures;
        } catch (Throwable t) {
            cancelAll(futures);
            throw t;
        }
    }

    private static void awaitDone(java.util.concurrent.Future<?> f) throws InterruptedException {
        if (!f.isDone()) {
            try {
                f.get();
            } catch (ExecutionException | CancellationException e) {
                // done either way
            }
        }
    }

    private static void cancelAll(List<? extends java.util.concurrent.Future<?>> futures) {
        for (java.util.concurrent.Future<?> f : futures) {
            f.cancel(true);
        }
    }

    /**
     * The JDK's {@code invokeAny}: the value of a task that completed normally; the others are
     * cancelled ({@code cancel(true)}). If every task failed, {@link ExecutionException} with the
     * last failure as its cause.
     */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return anyOf(tasks, null);
        } catch (TimeoutException e) {
            throw new AssertionError("no deadline was set", e);
        }
    }

    /** As {@link #invokeAny(Collection)}; {@link TimeoutException} if none completed normally in time. */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return anyOf(tasks, System.nanoTime() + unit.toNanos(timeout));
    }

    private <T> T anyOf(Collection<? extends Callable<T>> tasks, Long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        for (Callable<T> t : tasks) {
            Objects.requireNonNull(t, "task");
        }
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        LinkedBlockingQueue<Future<T>> completions = new LinkedBlockingQueue<>();
        try {
            for (Callable<T> t : tasks) {
                Future<T> f = submit(t);
                futures.add(f);
                f.whenComplete((v, e) -> completions.add(f));
            }
            Throwable last = null;
            for (int left = futures.size(); left > 0; left--) {
                Future<T> f = deadline == null ? completions.take()
                        : completions.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (f == null) {
                    throw new TimeoutException("no task completed normally in time");
                }
                try {
                    return f.get();
                } catch (ExecutionException e) {
                    last = e.getCause();
                } catch (CancellationException e) {
                    last = e;
                }
            }
            throw new ExecutionException("every task failed", last);
        } finally {
            cancelAll(futures);
        }
    }

    // ---------------------------------------------------------------- work items

    /** A submitted task with its future, and what to hand back from {@code shutdownNow}. */
    static final class WorkItem<T> {
        final Callable<T> task;
        final Object original;
        final boolean reportFailure;
        final Future<T> future = new Future<>();

        WorkItem(Callable<T> task, Object original, boolean reportFailure) {
            this.task = task;
            this.original = original;
            this.reportFailure = reportFailure;
        }

        /** Runs the task in this thread unless it was cancelled (ThreadPoolExecutor's workers). */
        void runHere() {
            if (!future.setRunningOrNotifyCancel()) {
                return;
            }
            future.runningIn(java.lang.Thread.currentThread());
            try {
                finish(task.call(), null);
            } catch (Throwable t) {
                finish(null, t);
            } finally {
                future.ranIn();
            }
        }

        /** Completes the future; a failed {@code execute} task goes to the excepthook. */
        void finish(T value, Throwable error) {
            if (error == null) {
                future.complete(value);
                return;
            }
            future.completeExceptionally(error);
            if (reportFailure && !(error instanceof CancellationException)) {
                Threading.excepthook().handle(Threading.currentThread(), error);
            }
        }

        Runnable asRunnable() {
            if (original instanceof Runnable r) {
                return r;
            }
            Callable<?> c = (Callable<?>) original;
            return () -> {
                try {
                    c.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            };
        }
    }
}
