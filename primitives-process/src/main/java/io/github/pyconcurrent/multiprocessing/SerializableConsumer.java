package io.github.pyconcurrent.multiprocessing;

import java.io.Serializable;
import java.util.function.Consumer;

/**
 * A consumer that can be shipped to another JVM (a pool's initializer takes one, for example).
 *
 * @param <T> the type of the argument
 */
@FunctionalInterface
public interface SerializableConsumer<T> extends Consumer<T>, Serializable {
}
