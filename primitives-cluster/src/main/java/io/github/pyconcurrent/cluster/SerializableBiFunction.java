package io.github.pyconcurrent.cluster;

import java.io.Serializable;
import java.util.function.BiFunction;

/**
 * A {@link BiFunction} that can be sent to another JVM: what {@link ClusterDict#compute},
 * {@link ClusterDict#computeIfPresent} and {@link ClusterDict#merge} ship to the member that owns
 * the key, to run there atomically. A plain lambda passed where this type is expected is one.
 * (The multiprocessing package has the one-argument {@code SerializableFunction}; this is its
 * two-argument sibling.)
 *
 * @param <T> the type of the first argument
 * @param <U> the type of the second argument
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface SerializableBiFunction<T, U, R> extends BiFunction<T, U, R>, Serializable {}
