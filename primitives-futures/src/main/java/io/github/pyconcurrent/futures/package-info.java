/**
 * Python's {@code concurrent.futures} on the JVM: {@link io.github.pyconcurrent.futures.ThreadPoolExecutor}
 * (threads), {@link io.github.pyconcurrent.futures.ProcessPoolExecutor} (worker JVMs, on the
 * multiprocessing {@code Pool}) and {@link io.github.pyconcurrent.futures.PoolExecutor#of} (any
 * {@code PoolLike}, e.g. a cluster's pool), all {@link java.util.concurrent.ExecutorService}s whose
 * {@link io.github.pyconcurrent.futures.Future}s are {@link java.util.concurrent.CompletableFuture}s
 * with Python's methods; {@link io.github.pyconcurrent.futures.Futures#waitFor} and
 * {@link io.github.pyconcurrent.futures.Futures#asCompleted} wait on any of them.
 *
 * <p>The design space, as Python's: threads share this JVM's memory and suit blocking I/O (and,
 * unlike CPython's, run Java code in parallel); worker JVMs isolate the work (a crash or a leak
 * stays in the worker) at the price of serializing each task and its result; a cluster's pool
 * spreads the work over machines with the same API.
 */
package io.github.pyconcurrent.futures;
