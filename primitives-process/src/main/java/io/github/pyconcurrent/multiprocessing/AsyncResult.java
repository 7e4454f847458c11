package io.github.pyconcurrent.multiprocessing;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The result of a task submitted to a {@link Pool}: Python's {@code multiprocessing.pool.AsyncResult}.
 *
 * <pre>{@code
 * AsyncResult<Integer> r = pool.applyAsync(() -> 100 + i, v -> System.out.println("exec done: " + v));
 * int v = r.get(Duration.ofSeconds(5));   // TimeoutError if not ready by then
 * }</pre>
 *
 * <p>{@link #get()} returns the task's value; if the task failed, it throws
 * {@link CompletionException} whose cause is the task's own exception (with the child's stack
 * trace), a {@link RemoteError} when that exception's class cannot be loaded here, or a
 * {@link WorkerDiedError} when the worker died running it. A task failed by
 * {@link Pool#terminate()} throws {@link CancellationException}.
 *
 * <p>A callback given with the task has run (on the pool's result thread) before {@link #ready()}
 * turns true, as in Python.
 *
 * @param <R> the type of the task's result
 */
public final class AsyncResult<R> {
    private final CompletableFuture<R> future;
    /** Who can produce the result while {@link #get()} waits (a {@link Pool}'s answers); null: nobody, wait. */
    private final Helper helper;

    /**
     * A waiter's help: a {@link Pool} lets the thread blocked in {@link #get()} read the workers'
     * answers itself, so the answer reaches it without a hop through the pool's result thread.
     */
    interface Helper {
        /**
         * Produces answers while {@code future} is not done, until {@code deadline} (a
         * {@link System#nanoTime()}; {@link Long#MAX_VALUE}: none) or until waiting longer is better
         * done parked; {@code registered}: the caller already counted itself as a helper
         * ({@link Pool#apply}). Returns in either case; the caller then waits for {@code future}.
         */
        void help(CompletableFuture<?> future, long deadline, boolean registered);
    }

    AsyncResult(CompletableFuture<R> future) {
        this(future, null);
    }

    AsyncResult(CompletableFuture<R> future, Helper helper) {
        this.future = future;
        this.helper = helper;
    }

    /**
     * An {@code AsyncResult} over {@code future}, for other {@link PoolLike} implementations (the
     * cluster pool of primitives-cluster): the pool completes the future after the task's callback
     * ran, and fails it with the task's own exception (a {@link WorkerDiedError} when the worker
     * died), so {@link #get()} behaves exactly as it does for a {@link Pool}.
     *
     * @param <R> the type of the result
     * @param future the future the pool completes with the task's value or fails with its exception
     * @return a result that reads {@code future}
     * @throws NullPointerException if {@code future} is null
     */
    public static <R> AsyncResult<R> of(CompletableFuture<R> future) {
        return new AsyncResult<>(java.util.Objects.requireNonNull(future, "future"));
    }

    /**
     * Waits for the result; see the class comment for failures.
     *
     * @return the task's value
     * @throws java.util.concurrent.CompletionException whose cause is the task's exception, a
     *     {@link RemoteError} or a {@link WorkerDiedError}
     * @throws CancellationException if {@link Pool#terminate()} failed the task
     */
    public R get() {
        return get(false);
    }

    /** {@link #get()}; {@code registered}: see {@link Helper#help}. */
    R get(boolean registered) {
        if (helper != null) {
            helper.help(future, Long.MAX_VALUE, registered);
        } else {
            spinBriefly();
        }
        return result(null);
    }

    /**
     * As {@link #get()}, waiting at most {@code timeout}; {@link TimeoutError} if not ready by
     * then.
     *
     * @param timeout how long to wait; zero or negative does not wait
     * @return the task's value
     * @throws TimeoutError if the result was not ready within {@code timeout} (the task goes on)
     * @throws java.util.concurrent.CompletionException whose cause is the task's exception, a
     *     {@link RemoteError} or a {@link WorkerDiedError}
     * @throws CancellationException if {@link Pool#terminate()} failed the task
     */
    public R get(Duration timeout) {
        Duration left = timeout;
        if (helper != null && !future.isDone() && timeout.isPositive()) {
            long start = System.nanoTime();
            long nanos = timeout.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(365).toNanos() : timeout.toNanos();
            helper.help(future, start + nanos, false);
            left = Duration.ofNanos(Math.max(0, nanos - (System.nanoTime() - start)));
        }
        return result(left, timeout);
    }

    private R result(Duration timeout) {
        return result(timeout, timeout);
    }

    private R result(Duration left, Duration timeout) {
        try {
            return Futures.await(future, left);
        } catch (TimeoutException e) {
            throw new TimeoutError("the result was not ready within " + timeout);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        }
    }

    /**
     * A result often arrives within tens of microseconds; parking and being woken costs about as
     * much again on a VM (an inter-processor interrupt), so look for it for a short while first,
     * as the rings' waiters do ({@link WaitStrategy}: spin, then yield so that on a busy machine
     * the threads that produce the result get the CPU, then park).
     */
    private void spinBriefly() {
        long start = System.nanoTime();
        while (!future.isDone() && WaitStrategy.DEFAULT.idle(start, -1)) {
            // poll again
        }
    }

    /**
     * Waits at most {@code timeout} (null: forever); returns whether the result is ready.
     *
     * @param timeout how long to wait; null waits forever
     * @return true if the result is ready, false if the timeout elapsed first
     */
    public boolean waitFor(Duration timeout) {
        return Futures.awaitDone(future, timeout);
    }

    /** Waits until the result is ready. */
    public void waitFor() {
        waitFor(null);
    }

    /**
     * Whether the task has completed, either way.
     *
     * @return true once the task has a value or a failure, and its callback has run
     */
    public boolean ready() {
        return future.isDone();
    }

    /**
     * Whether the task completed without an exception; {@link IllegalStateException} if not ready
     * yet (Python's ValueError).
     *
     * @return true if the task completed with a value, false if it failed
     * @throws IllegalStateException if the result is not ready yet (Python's {@code ValueError})
     */
    public boolean successful() {
        if (!future.isDone()) {
            throw new IllegalStateException("the result is not ready");
        }
        return !future.isCompletedExceptionally();
    }

    /**
     * A view as a {@link CompletableFuture}: completing it does not affect the task.
     *
     * @return a new future that completes as the task does
     */
    public CompletableFuture<R> toCompletableFuture() {
        return future.copy();
    }
}
