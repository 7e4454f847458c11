package io.github.pyconcurrent.multiprocessing;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A task that returns a value and can be shipped to another JVM: Python's {@code pool.apply(f, args)}
 * is {@code pool.apply(() -> f(args))}. See {@link SerializableRunnable} for what travels.
 *
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface SerializableCallable<R> extends Callable<R>, Serializable {
}
