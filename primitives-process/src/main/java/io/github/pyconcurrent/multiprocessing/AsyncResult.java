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
 */
public final class AsyncResult<R> {
    private final CompletableFuture<R> future;

    AsyncResult(CompletableFuture<R> future) {
        this.future = future;
    }

    /**
     * An {@code AsyncResult} over {@code future}, for other {@link PoolLike} implementations (the
     * cluster pool of primitives-cluster): the pool completes the future after the task's callback
     * ran, and fails it with the task's own exception (a {@link WorkerDiedError} when the worker
     * died), so {@link #get()} behaves exactly as it does for a {@link Pool}.
     */
    public static <R> AsyncResult<R> of(CompletableFuture<R> future) {
        return new AsyncResult<>(java.util.Objects.requireNonNull(future, "future"));
    }

    /** Waits for the result; see the class comment for failures. */
    public R get() {
        spinBriefly();
        return result(null);
    }

    /** As {@link #get()}, waiting at most {@code timeout}; {@link TimeoutError} if not ready by then. */
    public R get(Duration timeout) {
        return result(timeout);
    }

    private R result(Duration timeout) {
        try {
            return Futures.await(future, timeout);
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

    /** Waits at most {@code timeout} (null: forever); returns whether the result is ready. */
    public boolean waitFor(Duration timeout) {
        return Futures.awaitDone(future, timeout);
    }

    /** Waits until the result is ready. */
    public void waitFor() {
        waitFor(null);
    }

    /** Whether the task has completed, either way. */
    public boolean ready() {
        return future.isDone();
    }

    /** Whether the task completed without an exception; {@link IllegalStateException} if not ready yet (Python's ValueError). */
    public boolean successful() {
        if (!future.isDone()) {
            throw new IllegalStateException("the result is not ready");
        }
        return !future.isCompletedExceptionally();
    }

    /** A view as a {@link CompletableFuture}: completing it does not affect the task. */
    public CompletableFuture<R> toCompletableFuture() {
        return future.copy();
    }
}
