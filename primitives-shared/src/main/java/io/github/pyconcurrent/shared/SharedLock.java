package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.threading.LockLike;
import java.io.Serial;

/**
 * What a {@link Condition} needs from the process-shared lock it is built over (Python's
 * {@code _is_owned}, {@code _release_save}, {@code _acquire_restore}). An abstract class, not an
 * interface, so that the hooks stay package-private: they are not part of the locks' API. Both
 * locks are a {@link RobustMutex} word; what differs is who may release it (any thread, or the
 * owning thread of a count).
 */
abstract sealed class SharedLock extends RobustAcquire implements LockLike permits Lock, RLock {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The lock word: which process holds the lock, and its waiters. */
    final transient RobustMutex sync;

    /** The lock whose word is at {@code base} of {@code shm}; {@code type} names it in log lines and errors. */
    SharedLock(SharedMemory shm, int base, String type) {
        super(shm, base);
        this.sync = new RobustMutex(shm, base, type + " " + shm.name() + "@" + base);
    }

    @Override
    public boolean locked() {
        return sync.holder() != 0;
    }

    /** Whether the calling thread holds the lock (for a {@link Lock}: whether it is held at all). */
    abstract boolean isOwned();

    /** Releases completely; returns what {@link #acquireRestore(int)} needs. */
    abstract int releaseSave();

    /** Re-acquires as {@link #releaseSave()} left it (blocks without a timeout, as Python). */
    abstract void acquireRestore(int saved);
}
