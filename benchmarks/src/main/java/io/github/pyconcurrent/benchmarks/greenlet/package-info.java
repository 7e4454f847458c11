/**
 * Benchmarks of primitives-coroutine's greenlets, per backend, beside plain-JDK virtual threads;
 * CPython twins in {@code benchmarks/src/main/python/coroutine_bench.py}.
 */
package io.github.pyconcurrent.benchmarks.greenlet;
