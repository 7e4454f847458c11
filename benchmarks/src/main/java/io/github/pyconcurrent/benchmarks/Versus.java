package io.github.pyconcurrent.benchmarks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a JMH benchmark of a pyconcurrent primitive with what it is compared against, so the
 * comparison runner ({@link Compare}) can print it beside its baselines.
 *
 * <pre>{@code
 * @Benchmark
 * @Versus(jdk = "reentrantLock", cpython = "threading.Lock acquire+release")
 * public void lock() { lock.acquire(); lock.release(); }
 *
 * @Benchmark
 * public void reentrantLock() { jdkLock.lock(); jdkLock.unlock(); }
 * }</pre>
 *
 * <p>Repeatable: each {@code @Versus} of a benchmark is a row of its own, in the order written,
 * for one measurement compared with several CPython figures (e.g. a process start against
 * CPython's {@code forkserver} and its {@code fork}), or for several statistics of a
 * {@code Mode.SampleTime} benchmark ({@link #percentile()}: p50 and p99 rows). Give each a
 * distinct {@link #label()}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(Versus.List.class)
public @interface Versus {
    /** The JDK baseline: the name of a {@code @Benchmark} method in the same class. */
    String jdk();

    /**
     * The key of the same measurement in the CPython scripts' output (see
     * {@code benchmarks/src/main/python}), or empty when CPython has no counterpart.
     */
    String cpython() default "";

    /** A short name for the table's first column; defaults to {@code Class.method}. */
    String label() default "";

    /**
     * Which statistic of the benchmark (and of its JDK baseline) the row shows: 0, the default,
     * the typical score (the median of the iterations; for {@code Mode.SampleTime}, the median of
     * all samples); else this percentile of all samples, one of 50, 90, 99, 99.9 and 99.99, for
     * a {@code Mode.SampleTime} benchmark only (others have no percentiles: the row shows failed).
     * The CPython key must name the same statistic.
     */
    double percentile() default 0;

    /** The container of repeated {@code @Versus}; written by the compiler, never by hand. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        Versus[] value();
    }
}
