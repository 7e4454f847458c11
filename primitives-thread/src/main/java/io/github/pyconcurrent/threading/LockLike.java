package io.github.pyconcurrent.threading;

/**
 * A {@link Lock} or an {@link RLock}, of this package or process-shared: adds Python's
 * {@code locked()}.
 */
public interface LockLike extends Acquirable {
    /**
     * Returns whether any thread (of any process, for the shared ones) holds the lock now.
     *
     * @return true if the lock is held now
     */
    boolean locked();
}
