package io.github.pyconcurrent.threading;

import java.time.Duration;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * A re-entrant lock: Python's {@code threading.RLock}.
 *
 * <p>An {@code RLock} has an owner and a recursion count. The owner may acquire it again without
 * blocking; each {@link #acquire()} must be matched by one {@link #release()}, and the lock is
 * free for other threads only when the count returns to zero. Only the owner may release it.
 *
 * <pre>{@code
 * RLock lock = new RLock();
 * try (var outer = lock.hold()) {        // Python: with lock:
 *     try (var inner = lock.hold()) {    // re-entered by the same thread: does not block
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Not fair, like CPython's and like {@code new ReentrantLock()}: the uncontended acquire is one
 * CAS; a re-entry is a plain write by the owner.
 *
 * <p><b>Timeouts and interrupts</b> are as for {@link Lock}: a negative or {@code null}
 * {@code acquire(Duration)} waits forever; an interrupt while blocked throws
 * {@link UncheckedInterruptedException} with the flag restored.
 *
 * <p><b>Memory consistency effects:</b> as for {@link java.util.concurrent.locks.ReentrantLock}.
 *
 * <p><b>Differences from Python:</b> releasing an {@code RLock} the caller does not own (held by
 * another thread, or by none) throws {@link IllegalStateException} (Python's {@code RuntimeError}).
 * {@link #locked()} (Python 3.13's {@code RLock.locked()}) is true while any thread holds it.
 */
public class RLock implements LockLike {

    /**
     * State = recursion count (0 = free). The owner field is written only by the thread that
     * takes the lock from 0, and read for re-entry / ownership checks by any thread: a stale read
     * can never equal the reading thread unless that thread wrote it, so no ordering is needed
     * beyond the state's volatile accesses.
     */
    private static final class Sync extends AbstractQueuedSynchronizer {
        private static final long serialVersionUID = 1L;

        /** Fast path for {@code acquire()}: take a free lock, or re-enter an owned one. */
        boolean tryLock() {
            java.lang.Thread current = java.lang.Thread.currentThread();
            int c = getState();
            if (c == 0) {
                if (compareAndSetState(0, 1)) {
                    setExclusiveOwnerThread(current);
                    return true;
                }
            } else if (getExclusiveOwnerThread() == current) {
                if (c == Integer.MAX_VALUE) {
                    throw new IllegalStateException("maximum RLock recursion depth exceeded");
                }
                setState(c + 1);
                return true;
            }
            return false;
        }

        /** Taking a free lock with a given count: from the queue (count 1) or by acquireRestore. */
        @Override
        protected boolean tryAcquire(int count) {
            if (getState() == 0 && compareAndSetState(0, count)) {
                setExclusiveOwnerThread(java.lang.Thread.currentThread());
                return true;
            }
            return false;
        }

        @Override
        protected boolean tryRelease(int count) {
            if (getExclusiveOwnerThread() != java.lang.Thread.currentThread() || getState() == 0) {
                throw new IllegalStateException("cannot release un-acquired lock");
            }
            int c = getState() - count;
            boolean free = c == 0;
            if (free) {
                setExclusiveOwnerThread(null);
            }
            setState(c);
            return free;
        }

        @Override
        protected boolean isHeldExclusively() {
            return getExclusiveOwnerThread() == java.lang.Thread.currentThread() && getState() != 0;
        }

        int count() {
            return getState();
        }

        ConditionObject newCondition() {
            return new ConditionObject();
        }
    }

    private final Sync sync = new Sync();

    /** Creates an unlocked re-entrant lock. */
    public RLock() {}

    /** Blocks until the calling thread owns the lock (immediately if it already does); returns {@code true}. */
    @Override
    public boolean acquire() {
        if (!sync.tryLock()) {
            ExclusiveWaits.acquire(sync);
        }
        return true;
    }


    /** With {@code blocking} {@code false}, acquires only if that needs no wait; returns whether it did. */
    @Override
    public boolean acquire(boolean blocking) {
        return blocking ? acquire() : sync.tryLock();
    }

    /** Waits at most {@code timeout} (negative or {@code null}: forever); returns whether acquired. */
    @Override
    public boolean acquire(Duration timeout) {
        return sync.tryLock() || ExclusiveWaits.acquire(sync, timeout);
    }

    /**
     * Releases one level of recursion; the lock becomes free when the count reaches zero. Throws
     * {@link IllegalStateException} if the calling thread does not own the lock.
     */
    @Override
    public void release() {
        sync.release(1);
    }

    /** Returns whether any thread holds the lock. */
    @Override
    public boolean locked() {
        return sync.count() != 0;
    }

    // The three hooks Condition uses (CPython's _is_owned, _release_save, _acquire_restore):
    // package-private, so they are not part of the lock's API.

    /** Returns whether the calling thread owns the lock (CPython's {@code _is_owned}). */
    boolean isOwned() {
        return sync.isHeldExclusively();
    }

    /**
     * Releases every recursion level; returns the count, for {@link #acquireRestore(int)}.
     * Throws {@link IllegalStateException} when the calling thread does not own the lock.
     */
    int releaseSave() {
        int count = sync.count();
        if (!sync.isHeldExclusively()) {
            throw new IllegalStateException("cannot release un-acquired lock");
        }
        sync.release(count);
        return count;
    }

    /** Re-acquires with the given recursion count, blocking through interrupts (the flag is preserved). */
    void acquireRestore(int saved) {
        if (saved < 1) {
            throw new IllegalArgumentException("recursion count must be positive: " + saved);
        }
        if (!sync.tryAcquire(saved)) {
            sync.acquire(saved);
        }
    }

    /**
     * A condition queue of this lock's own synchronizer, for {@link Condition}: AQS moves a
     * notified waiter straight onto the lock's queue, so it wakes once, when the notifier
     * releases, and a waiting owner's whole recursion count is saved and restored by AQS
     * ({@code getState()} is the count, {@link Sync#tryAcquire(int)} restores it).
     */
    AbstractQueuedSynchronizer.ConditionObject newCondition() {
        return sync.newCondition();
    }

    /** Whether {@code queue} (made by {@link #newCondition()}) has a live waiter; the caller owns the lock. */
    boolean hasWaiters(AbstractQueuedSynchronizer.ConditionObject queue) {
        return sync.hasWaiters(queue);
    }

    /**
     * The calling thread's recursion count: how many releases it owes (0 if it does not own the lock).
     *
     * @return the calling thread's recursion count, 0 if it does not own the lock
     */
    public int holdCount() {
        return sync.isHeldExclusively() ? sync.count() : 0;
    }

    @Override
    public String toString() {
        int c = sync.count();
        return "<" + (c != 0 ? "locked" : "unlocked") + " RLock count=" + c + ">";
    }
}
