package io.github.pyconcurrent.multiprocessing;

import java.io.Serializable;

/**
 * A {@link Process} target: a {@code Runnable} that may throw and is {@link Serializable}, so a
 * plain lambda can be shipped to the child JVM that runs it. Python's {@code target=f, args=(i,)}
 * is a lambda capturing {@code i}: {@code new Process(() -> f(i))}.
 *
 * <p>Everything the lambda captures travels with it and must be serializable too; shared objects
 * (Array, Value, process locks, Manager dicts, Queue, Connection) arrive attached to the same
 * shared state, anything else arrives as a copy.
 */
@FunctionalInterface
public interface SerializableRunnable extends Serializable {
    /**
     * Runs the target, in the child JVM.
     *
     * @throws Exception anything; it ends the child with exit code 1 and its stack trace on the
     *     child's stderr, as Python's
     */
    void run() throws Exception;
}
