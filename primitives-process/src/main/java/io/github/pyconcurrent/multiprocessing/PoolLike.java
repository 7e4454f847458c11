package io.github.pyconcurrent.multiprocessing;

import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a pool of workers offers, wherever the workers are: the {@link Pool} of child JVMs on this
 * machine, or a cluster's pool (primitives-cluster). Code written against this interface moves
 * from processes to a cluster by changing the line that creates the pool. See {@link Pool} for
 * the contract of each method.
 */
public interface PoolLike extends AutoCloseable {
    /**
     * Runs {@code task} in a worker, waits for it and returns its result: Python's {@code apply}.
     *
     * @param <R> the type of the result
     * @param task what to run; it and what it captures must be serializable
     * @return what {@code task} returned
     * @throws IllegalStateException if the pool is closed or terminated
     * @throws java.util.concurrent.CompletionException whose cause is the exception a task threw
     *     (with the child's stack trace), a {@link RemoteError} when its class cannot be loaded
     *     here, or a {@link WorkerDiedError}
     */
    <R> R apply(SerializableCallable<R> task);

    /**
     * Submits {@code task} to a worker and returns at once: Python's {@code apply_async}.
     *
     * @param <R> the type of the result
     * @param task what to run; it and what it captures must be serializable
     * @return the pending result
     * @throws IllegalStateException if the pool is closed or terminated
     */
    <R> AsyncResult<R> applyAsync(SerializableCallable<R> task);

    /**
     * As {@link #applyAsync(SerializableCallable)}, with a callback for the result.
     *
     * @param <R> the type of the result
     * @param task what to run; it and what it captures must be serializable
     * @param callback receives the result in this JVM, on the pool's result thread, before the
     *     result is {@link AsyncResult#ready() ready}; null for none
     * @return the pending result
     * @throws IllegalStateException if the pool is closed or terminated
     */
    <R> AsyncResult<R> applyAsync(SerializableCallable<R> task, Consumer<R> callback);

    /**
     * As {@link #applyAsync(SerializableCallable)}, with callbacks for the result and for a failure
     * (Python's {@code error_callback}).
     *
     * @param <R> the type of the result
     * @param task what to run; it and what it captures must be serializable
     * @param callback receives the result in this JVM, on the pool's result thread; null for none
     * @param errorCallback receives the task's exception in this JVM, on the pool's result thread;
     *     null for none
     * @return the pending result
     * @throws IllegalStateException if the pool is closed or terminated
     */
    <R> AsyncResult<R> applyAsync(SerializableCallable<R> task, Consumer<R> callback, Consumer<Throwable> errorCallback);

    /**
     * Applies {@code fn} to every item in the workers and returns the results in the input's order:
     * Python's {@code map}.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param fn the function to apply to each item; it runs in the workers, so it and what it
     *     captures must be serializable
     * @param iterable the items, read entirely before the first task is sent (each must be
     *     serializable)
     * @return the results, in the input's order
     * @throws IllegalStateException if the pool is closed or terminated
     * @throws java.util.concurrent.CompletionException whose cause is the exception a task threw
     *     (with the child's stack trace), a {@link RemoteError} when its class cannot be loaded
     *     here, or a {@link WorkerDiedError}
     */
    <T, R> List<R> map(SerializableFunction<T, R> fn, Iterable<T> iterable);

    /**
     * As {@link #map(SerializableFunction, Iterable)}, with {@code chunksize} items per task.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param fn the function to apply to each item; it runs in the workers, so it and what it
     *     captures must be serializable
     * @param iterable the items, read entirely before the first task is sent (each must be
     *     serializable)
     * @param chunksize how many items each task carries; 0 or less: Python's default (the items
     *     over four times the workers, rounded up)
     * @return the results, in the input's order
     * @throws IllegalStateException if the pool is closed or terminated
     * @throws java.util.concurrent.CompletionException whose cause is the exception a task threw
     *     (with the child's stack trace), a {@link RemoteError} when its class cannot be loaded
     *     here, or a {@link WorkerDiedError}
     */
    <T, R> List<R> map(SerializableFunction<T, R> fn, Iterable<T> iterable, int chunksize);

    /**
     * As {@link #map(SerializableFunction, Iterable)}, returning at once: Python's
     * {@code map_async}.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param fn the function to apply to each item; it runs in the workers, so it and what it
     *     captures must be serializable
     * @param iterable the items, read entirely before the first task is sent (each must be
     *     serializable)
     * @return the pending list of results, in the input's order; the first failing task fails it
     * @throws IllegalStateException if the pool is closed or terminated
     */
    <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<T, R> fn, Iterable<T> iterable);

    /**
     * As {@link #mapAsync(SerializableFunction, Iterable)}, with {@code chunksize} items per task.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param fn the function to apply to each item; it runs in the workers, so it and what it
     *     captures must be serializable
     * @param iterable the items, read entirely before the first task is sent (each must be
     *     serializable)
     * @param chunksize how many items each task carries; 0 or less: Python's default (the items
     *     over four times the workers, rounded up)
     * @return the pending list of results, in the input's order; the first failing task fails it
     * @throws IllegalStateException if the pool is closed or terminated
     */
    <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<T, R> fn, Iterable<T> iterable, int chunksize);

    /**
     * A lazy {@code map}, one item per task: Python's {@code imap}.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param fn the function to apply to each item; it runs in the workers, so it and what it
     *     captures must be serializable
     * @param iterable the items, read as the results are consumed (each must be serializable)
     * @return the results in the input's order; {@code next()} waits for the next one and throws a
     *     failed task's {@link java.util.concurrent.CompletionException}
     * @throws IllegalStateException if the pool is closed or terminated
     */
    <T, R> Iterator<R> imap(SerializableFunction<T, R> fn, Iterable<T> iterable);

    /**
     * A lazy {@code map} with {@code chunksize} items per task: tasks are submitted as the iterator
     * is consumed.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param fn the function to apply to each item; it runs in the workers, so it and what it
     *     captures must be serializable
     * @param iterable the items, read as the results are consumed (each must be serializable)
     * @param chunksize how many items each task carries; less than 1 counts as 1
     * @return the results in the input's order; {@code next()} waits for the next one and throws a
     *     failed task's {@link java.util.concurrent.CompletionException}
     * @throws IllegalStateException if the pool is closed or terminated
     */
    <T, R> Iterator<R> imap(SerializableFunction<T, R> fn, Iterable<T> iterable, int chunksize);

    /**
     * As {@link #imap(SerializableFunction, Iterable)}, with results in the order they complete:
     * Python's {@code imap_unordered}.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param fn the function to apply to each item; it runs in the workers, so it and what it
     *     captures must be serializable
     * @param iterable the items, read as the results are consumed (each must be serializable)
     * @return the results as they complete; {@code next()} waits for the next one and throws a
     *     failed task's {@link java.util.concurrent.CompletionException}
     * @throws IllegalStateException if the pool is closed or terminated
     */
    <T, R> Iterator<R> imapUnordered(SerializableFunction<T, R> fn, Iterable<T> iterable);

    /**
     * As {@link #imap(SerializableFunction, Iterable, int)}, with results in the order they
     * complete.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param fn the function to apply to each item; it runs in the workers, so it and what it
     *     captures must be serializable
     * @param iterable the items, read as the results are consumed (each must be serializable)
     * @param chunksize how many items each task carries; less than 1 counts as 1
     * @return the results as they complete; {@code next()} waits for the next one and throws a
     *     failed task's {@link java.util.concurrent.CompletionException}
     * @throws IllegalStateException if the pool is closed or terminated
     */
    <T, R> Iterator<R> imapUnordered(SerializableFunction<T, R> fn, Iterable<T> iterable, int chunksize);

    /**
     * Python's {@code starmap}: as {@link #map(SerializableFunction, Iterable)}, each item being
     * the argument list of one call.
     *
     * @param <R> the type of the results
     * @param fn the function to call with each argument list; it runs in the workers and must be
     *     serializable
     * @param iterable the argument lists, read entirely before the first task is sent
     * @return the results, in the input's order
     * @throws IllegalStateException if the pool is closed or terminated
     * @throws java.util.concurrent.CompletionException whose cause is the exception a task threw
     *     (with the child's stack trace), a {@link RemoteError} when its class cannot be loaded
     *     here, or a {@link WorkerDiedError}
     */
    <R> List<R> starmap(SerializableFunction<Object[], R> fn, Iterable<Object[]> iterable);

    /**
     * As {@link #starmap(SerializableFunction, Iterable)}, with {@code chunksize} argument lists
     * per task.
     *
     * @param <R> the type of the results
     * @param fn the function to call with each argument list; it runs in the workers and must be
     *     serializable
     * @param iterable the argument lists, read entirely before the first task is sent
     * @param chunksize how many items each task carries; 0 or less: Python's default (the items
     *     over four times the workers, rounded up)
     * @return the results, in the input's order
     * @throws IllegalStateException if the pool is closed or terminated
     * @throws java.util.concurrent.CompletionException whose cause is the exception a task threw
     *     (with the child's stack trace), a {@link RemoteError} when its class cannot be loaded
     *     here, or a {@link WorkerDiedError}
     */
    <R> List<R> starmap(SerializableFunction<Object[], R> fn, Iterable<Object[]> iterable, int chunksize);

    /** Stops taking tasks, lets the queued ones finish, lets the workers exit and waits for them. */
    @Override
    void close();

    /** Stops now: queued and running tasks fail with {@code CancellationException}, workers are killed. */
    void terminate();

    /** After {@link #close()} or {@link #terminate()}: waits for the workers to exit. */
    void join();
}
