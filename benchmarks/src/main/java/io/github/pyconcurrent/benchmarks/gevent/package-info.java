/**
 * Benchmarks of primitives-coroutine's gevent hub beside plain-JDK virtual threads; CPython twins
 * in {@code benchmarks/src/main/python/coroutine_bench.py}.
 */
package io.github.pyconcurrent.benchmarks.gevent;
