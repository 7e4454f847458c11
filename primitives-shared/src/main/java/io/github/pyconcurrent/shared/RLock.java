package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.threading.LockLike;
import java.io.Serial;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A re-entrant lock shared between processes: Python's {@code multiprocessing.RLock}, with the
 * methods of {@code threading.RLock}. Its owner is a
 * (process, thread) pair, with a recursion count; only the owner may release it
 * ({@link IllegalStateException} otherwise).
 *
 * <pre>{@code
 * RLock lock = new RLock();
 * try (var outer = lock.hold(); var inner = lock.hold()) { ... }
 * }</pre>
 *
 * <p>Robust like {@link Lock}: when the owning process dies the lock is taken over by a waiter
 * (recursion count reset to 1), {@link #ownerDied()} tells it so, and a WARNING is logged.
 *
 * <p>Layout: {@link LockLayout}; the owner thread id and the count are written only by the owner,
 * between its acquiring CAS and its releasing swap, so plain/opaque accesses suffice for them.
 *
 * <p>Serializable as a handle, like {@link Lock}. The lock of an {@link Array} or {@link Value}
 * is an RLock living in the same segment as the data.
 */
public final class RLock implements SharedLock, LockLike, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient SharedMemory shm;
    private final transient int base;
    private final transient ByteBuffer buf;
    private final transient int ownerThread;
    private final transient int count;
    private final transient RobustMutex sync;
    private transient boolean ownerDied;

    /** A new, unlocked re-entrant lock in a fresh segment. */
    public RLock() {
        this(SharedMemory.createAnonymous("rlock", LockLayout.SIZE), SharedMemoryLayout.HEADER_SIZE);
    }

    RLock(SharedMemory shm, int base) {
        this.shm = shm;
        this.base = base;
        this.buf = shm.whole();
        this.ownerThread = base + LockLayout.OWNER_THREAD;
        this.count = base + LockLayout.COUNT;
        this.sync = new RobustMutex(shm, base, "RLock " + shm.name() + "@" + base);
    }

    @Override
    public boolean acquire() {
        return acquire(Timeouts.FOREVER);
    }

    @Override
    public boolean acquire(boolean blocking) {
        return acquire(blocking ? Timeouts.FOREVER : 0);
    }

    @Override
    public boolean acquire(Duration timeout) {
        return acquire(Timeouts.acquireNanos(timeout));
    }

    private boolean acquire(long timeoutNanos) {
        long me = Thread.currentThread().threadId();
        if (isOwnedBy(me)) {
            buf.putInt(count, buf.getInt(count) + 1);
            return true;
        }
        int result = sync.acquire(timeoutNanos);
        if (result == RobustMutex.FAILED) {
            return false;
        }
        Words.LONG.setOpaque(buf, ownerThread, me);
        buf.putInt(count, 1);
        boolean tookOver = result == RobustMutex.TOOK_OVER;
        if (ownerDied != tookOver) {
            ownerDied = tookOver;
        }
        return true;
    }

    @Override
    public void release() {
        if (!isOwnedBy(Thread.currentThread().threadId())) {
            throw new IllegalStateException("cannot release un-acquired lock");
        }
        int depth = buf.getInt(count) - 1;
        buf.putInt(count, depth);
        if (depth == 0) {
            Words.LONG.setOpaque(buf, ownerThread, 0L);
            sync.release();
        }
    }

    @Override
    public boolean locked() {
        return sync.holder() != 0;
    }

    /** Whether the latest acquisition in this JVM took the lock over from a dead process. */
    public boolean ownerDied() {
        return ownerDied;
    }

    /** The calling thread's recursion depth on this lock (0 if it does not own it). */
    public int holdCount() {
        return isOwned() ? buf.getInt(count) : 0;
    }

    private boolean isOwnedBy(long threadId) {
        // Only this thread ever writes its own id there, and it clears it before releasing: a
        // match together with our process in the owner word means this thread holds the lock.
        return sync.holder() == ProcessIdentity.SELF && (long) Words.LONG.getOpaque(buf, ownerThread) == threadId;
    }

    @Override
    public boolean isOwned() {
        return isOwnedBy(Thread.currentThread().threadId());
    }

    @Override
    public int releaseSave() {
        if (!isOwned()) {
            throw new IllegalStateException("cannot release un-acquired lock");
        }
        int depth = buf.getInt(count);
        buf.putInt(count, 0);
        Words.LONG.setOpaque(buf, ownerThread, 0L);
        sync.release();
        return depth;
    }

    @Override
    public void acquireRestore(int saved) {
        acquire();
        buf.putInt(count, saved);
    }

    @Override
    public String toString() {
        long holder = sync.holder();
        return "shared.RLock[" + (holder == 0 ? "unlocked" : "locked by " + ProcessIdentity.describe(holder)
                + " thread " + Words.LONG.getOpaque(buf, ownerThread)) + "]";
    }

    @Serial
    private Object writeReplace() {
        return new Handle(shm.name(), base);
    }

    private record Handle(String segment, int base) implements Serializable {
        @Serial
        private Object readResolve() {
            return new RLock(SharedMemory.open(segment), base);
        }
    }
}
