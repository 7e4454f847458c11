/**
 * JMH benchmarks of {@code io.github.pyconcurrent.multiprocessing} (Process start-up, Pool), each
 * beside its JDK baseline in the same class (paired by
 * {@link io.github.pyconcurrent.benchmarks.Versus}) and with the keys of its CPython twins in
 * {@code benchmarks/src/main/python/process_bench.py}. These start child JVMs: they use
 * single-shot or sampled modes with modest counts, and leave no child behind (pools are closed
 * and processes joined in {@code @TearDown}; forkserver spares die with the JMH fork).
 */
package io.github.pyconcurrent.benchmarks.multiprocessing;
