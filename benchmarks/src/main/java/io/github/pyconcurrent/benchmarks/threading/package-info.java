/**
 * JMH benchmarks of {@code io.github.pyconcurrent.threading}, each beside its JDK baseline in the
 * same class (paired by {@link io.github.pyconcurrent.benchmarks.Versus}) and with the key of its
 * CPython twin in {@code benchmarks/src/main/python/threading_bench.py}.
 */
package io.github.pyconcurrent.benchmarks.threading;
