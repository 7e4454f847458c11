package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.shared.internal.ProcessIdentity;
import io.github.pyconcurrent.shared.internal.SharedMemoryLayout;
import io.github.pyconcurrent.threading.LockLike;
import java.io.Serial;
import java.io.Serializable;

/**
 * A re-entrant lock shared between processes: Python's {@code multiprocessing.RLock}, with the
 * methods of {@code threading.RLock}. Its owner is a (process, thread) pair, with a recursion
 * count; only the owner may release it ({@link IllegalStateException} otherwise).
 *
 * <pre>{@code
 * RLock lock = new RLock();
 * try (var outer = lock.hold(); var inner = lock.hold()) { ... }
 * }</pre>
 *
 * <p>Robust like {@link Lock}: when the owning process dies the lock is taken over by a waiter
 * (with a count of 1), {@link #ownerDied()} tells it so, and a WARNING is logged.
 *
 * <p>Where the state lives: the owner <em>process</em> is the shared owner word of
 * {@link LockLayout}, which every process reads; the owner <em>thread</em> and the count matter
 * only inside the owning process, so they are plain fields of a per-JVM {@link Owner} record that
 * every copy of this lock in the JVM shares (kept by the mapped segment). That keeps the fast
 * path to one CAS and one swap on shared memory, as {@link Lock}.
 *
 * <p>Serializable as a handle, like {@link Lock}. The lock of an {@link Array} or {@link Value}
 * is an RLock living in the same segment as the data.
 */
public final class RLock extends SharedLock implements LockLike, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * The owning thread and its recursion depth, in this JVM. Written only by the thread that
     * holds the shared word (and cleared by it before it releases the word), so a thread that
     * reads its own id in {@code thread} holds the lock: no other thread ever writes that id.
     */
    static final class Owner {
        long thread;
        int count;
    }

    private final transient Owner owner;

    /** A new, unlocked re-entrant lock in a fresh segment. */
    public RLock() {
        this(SharedMemory.createAnonymous("rlock", LockLayout.SIZE), SharedMemoryLayout.HEADER_SIZE);
    }

    RLock(SharedMemory shm, int base) {
        super(shm, base, "RLock");
        this.owner = shm.companion(base, Owner::new);
    }

    @Override
    boolean acquireNanos(long timeoutNanos) {
        long me = Thread.currentThread().threadId();
        if (sync.tryAcquire()) {
            owner.thread = me;
            owner.count = 1;
            return acquired(false);
        }
        if (owner.thread == me) {
            owner.count++;
            return true;
        }
        int result = sync.acquire(timeoutNanos);
        if (result == RobustMutex.FAILED) {
            return false;
        }
        owner.thread = me;
        owner.count = 1;
        return acquired(result == RobustMutex.TOOK_OVER);
    }

    @Override
    public void release() {
        Owner o = owner;
        if (o.thread != Thread.currentThread().threadId()) {
            throw new IllegalStateException("cannot release un-acquired lock");
        }
        if (--o.count == 0) {
            o.thread = 0;
            sync.release();
        }
    }

    /**
     * The calling thread's recursion depth on this lock (0 if it does not own it).
     *
     * @return the calling thread's recursion depth, 0 if it does not own the lock
     */
    public int holdCount() {
        return isOwned() ? owner.count : 0;
    }

    @Override
    boolean isOwned() {
        return owner.thread == Thread.currentThread().threadId();
    }

    @Override
    int releaseSave() {
        if (!isOwned()) {
            throw new IllegalStateException("cannot release un-acquired lock");
        }
        int depth = owner.count;
        owner.count = 0;
        owner.thread = 0;
        sync.release();
        return depth;
    }

    @Override
    void acquireRestore(int saved) {
        acquire();
        owner.count = saved;
    }

    @Override
    public String toString() {
        long holder = sync.holder();
        return "shared.RLock[" + (holder == 0 ? "unlocked" : "locked by " + ProcessIdentity.describe(holder)) + "]";
    }
}
