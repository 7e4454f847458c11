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
    <R> R apply(SerializableCallable<R> task);

    <R> AsyncResult<R> applyAsync(SerializableCallable<R> task);

    <R> AsyncResult<R> applyAsync(SerializableCallable<R> task, Consumer<R> callback);

    <R> AsyncResult<R> applyAsync(SerializableCallable<R> task, Consumer<R> callback, Consumer<Throwable> errorCallback);

    <T, R> List<R> map(SerializableFunction<T, R> fn, Iterable<T> iterable);

    <T, R> List<R> map(SerializableFunction<T, R> fn, Iterable<T> iterable, int chunksize);

    <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<T, R> fn, Iterable<T> iterable);

    <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<T, R> fn, Iterable<T> iterable, int chunksize);

    <T, R> Iterator<R> imap(SerializableFunction<T, R> fn, Iterable<T> iterable);

    <T, R> Iterator<R> imap(SerializableFunction<T, R> fn, Iterable<T> iterable, int chunksize);

    <T, R> Iterator<R> imapUnordered(SerializableFunction<T, R> fn, Iterable<T> iterable);

    <T, R> Iterator<R> imapUnordered(SerializableFunction<T, R> fn, Iterable<T> iterable, int chunksize);

    <R> List<R> starmap(SerializableFunction<Object[], R> fn, Iterable<Object[]> iterable);

    <R> List<R> starmap(SerializableFunction<Object[], R> fn, Iterable<Object[]> iterable, int chunksize);

    /** Stops taking tasks, lets the queued ones finish, lets the workers exit and waits for them. */
    @Override
    void close();

    /** Stops now: queued and running tasks fail with {@code CancellationException}, workers are killed. */
    void terminate();

    /** After {@link #close()} or {@link #terminate()}: waits for the workers to exit. */
    void join();
}
