package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.shared.internal.ProcessIdentity;
import io.github.pyconcurrent.shared.internal.SharedMemoryLayout;
import io.github.pyconcurrent.threading.LockLike;
import java.io.Serial;
import java.io.Serializable;

/**
 * A lock shared between processes (JVMs): Python's {@code multiprocessing.Lock}, with the methods
 * of {@code threading.Lock}.
 *
 * <pre>{@code
 * Lock lock = new Lock();                    // lives in its own small /dev/shm segment
 * try (var held = lock.hold()) { ... }       // Python: with lock:
 * new Process(() -> { try (var h = lock.hold()) { ... } });   // the child locks the same lock
 * }</pre>
 *
 * <p>Not re-entrant; any thread of any process may release it (Python semantics). Releasing an
 * unlocked lock throws {@link IllegalStateException}.
 *
 * <p>Beyond Python — robustness: when the holder's process dies (even by {@code kill -9}), a
 * waiter takes the lock over within about one owner-check interval
 * ({@code pyconcurrent.shared.ownerCheckMillis}, 100 ms by default), logs a WARNING on the
 * {@code io.github.pyconcurrent.shared} System.Logger, and {@link #ownerDied()} returns
 * {@code true} to it: the state the lock guarded may be half-updated. Only a blocking or timed
 * acquire takes over ({@code acquire(false)} never waits, so it just fails). (CPython deadlocks there,
 * python/cpython gh-96062.) A thread that dies holding the lock inside a live process is not
 * detected, as in Python.
 *
 * <p>Cost: an uncontended acquire+release is one CAS and one atomic swap on the mapped segment,
 * allocation-free. Contended acquirers spin ({@code pyconcurrent.shared.spins}) then sleep on a
 * shared futex.
 *
 * <p>Memory consistency: actions before a release, in any process, happen-before actions after
 * the next successful acquire.
 *
 * <p>Serializable as a handle (segment name and offset): deserialized in another JVM it is the
 * same lock. The segment is unlinked when this lock is garbage in its creating JVM or that JVM
 * exits; JVMs that attached keep using it.
 */
public final class Lock extends SharedLock implements LockLike, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The bytes a lock occupies in its segment ({@link #at}): one cache line. */
    public static final int BYTES = LockLayout.SIZE;

    /** A new, unlocked lock in a fresh segment. */
    public Lock() {
        this(SharedMemory.createAnonymous("lock", LockLayout.SIZE), SharedMemoryLayout.HEADER_SIZE);
    }

    /**
     * The lock whose word lives at {@code offset} of {@code shm}'s {@link SharedMemory#buffer()}:
     * for code outside this package that lays out its own segment (the multiprocessing queues) and
     * wants a robust lock inside it rather than a segment of its own. The {@value #BYTES} bytes there
     * (8-byte aligned, best 64) must be zero when first used and be used for nothing else; every
     * process that calls this with the same segment and offset gets the same lock.
     *
     * @param shm the segment that holds the lock's word
     * @param offset where the word is in the segment's {@link SharedMemory#buffer()}
     * @return the lock at that place
     * @throws IllegalArgumentException if {@code offset} is not 8-byte aligned or leaves no room for {@value #BYTES} bytes
     */
    public static Lock at(SharedMemory shm, int offset) {
        if (offset < 0 || offset > shm.size() - BYTES || (offset & 7) != 0) {
            throw new IllegalArgumentException("a Lock needs " + BYTES + " bytes at an 8-byte aligned offset of the segment: " + offset);
        }
        return new Lock(shm, SharedMemoryLayout.HEADER_SIZE + offset);
    }

    Lock(SharedMemory shm, int base) {
        super(shm, base, "Lock");
    }

    @Override
    boolean acquireNanos(long timeoutNanos) {
        int result = sync.acquire(timeoutNanos);
        return result != RobustMutex.FAILED && acquired(result == RobustMutex.TOOK_OVER);
    }

    @Override
    public void release() {
        if (sync.release() == 0) {
            throw new IllegalStateException("release unlocked lock");
        }
    }

    @Override
    boolean isOwned() {
        return locked();
    }

    @Override
    int releaseSave() {
        release();
        return 1;
    }

    @Override
    void acquireRestore(int saved) {
        acquire();
    }

    @Override
    public String toString() {
        return "shared.Lock[" + (locked() ? "locked by " + ProcessIdentity.describe(sync.holder()) : "unlocked") + "]";
    }
}
