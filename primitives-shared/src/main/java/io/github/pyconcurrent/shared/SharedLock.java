package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.threading.LockLike;

/**
 * What a {@link Condition} needs from the process-shared lock it is built over (Python's
 * {@code _is_owned}, {@code _release_save}, {@code _acquire_restore}). An abstract class, not an
 * interface, so that the hooks stay package-private: they are not part of the locks' API.
 */
abstract sealed class SharedLock implements LockLike permits Lock, RLock {
    /** Whether the calling thread holds the lock (for a {@link Lock}: whether it is held at all). */
    abstract boolean isOwned();

    /** Releases completely; returns what {@link #acquireRestore(int)} needs. */
    abstract int releaseSave();

    /** Re-acquires as {@link #releaseSave()} left it (blocks without a timeout, as Python). */
    abstract void acquireRestore(int saved);
}
