package io.github.pyconcurrent.multiprocessing;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A function that can be shipped to another JVM: what {@code Pool.map} and {@code imap} apply.
 *
 * @param <T> the type of the argument
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {
}
