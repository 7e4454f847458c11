/**
 * Benchmarks of primitives-futures ({@code concurrent.futures}): the thread and process executors
 * beside the JDK's {@code ThreadPoolExecutor} and the multiprocessing {@code Pool} they run on, and
 * CPython's executors ({@code futures_bench.py}).
 */
package io.github.pyconcurrent.benchmarks.futures;
