/**
 * JMH benchmarks of {@code io.github.pyconcurrent.shared} (process-shared locks, Array, Value),
 * each beside its JDK in-heap baseline in the same class (paired by
 * {@link io.github.pyconcurrent.benchmarks.Versus}) and with the key of its CPython twin in
 * {@code benchmarks/src/main/python/shared_bench.py}. {@link
 * io.github.pyconcurrent.benchmarks.shared.TwoJvmIncrementsBenchmark} starts a second JVM and
 * measures contended increments across the two.
 */
package io.github.pyconcurrent.benchmarks.shared;
