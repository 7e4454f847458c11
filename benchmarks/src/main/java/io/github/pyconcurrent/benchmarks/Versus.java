package io.github.pyconcurrent.benchmarks;

import java.lang.annotation.ElementType;
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
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
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
}
