package io.github.pyconcurrent.threading;

import java.time.Duration;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * A primitive, non-re-entrant lock: Python's {@code threading.Lock}.
 *
 * <p>A {@code Lock} is either locked or unlocked. {@link #acquire()} blocks until it is unlocked and
 * then locks it; {@link #release()} unlocks it and lets one blocked acquirer proceed. Unlike
 * {@link java.util.concurrent.locks.ReentrantLock}, a {@code Lock} has no owner: any thread may
 * release it (Python's semantics, which makes it usable as a binary signal), and a thread that
 * acquires it twice deadlocks with itself. Use {@link RLock} for a re-entrant lock.
 *
 * <pre>{@code
 * Lock lock = new Lock();
 * try (var held = lock.hold()) {        // Python: with lock:
 *     counter++;
 * }
 * if (lock.acquire(Duration.ofMillis(50))) {   // Python: lock.acquire(timeout=0.05)
 *     try { ... } finally { lock.release(); }
 * }
 * }</pre>
 *
 * <p>Acquisition is not fair (neither is CPython's): a thread arriving while the lock is free may
 * take it ahead of threads already queued, which is what makes the uncontended path a single CAS.
 *
 * <p><b>Timeouts and interrupts.</b> {@code acquire(Duration)} waits at most the duration; a
 * negative or {@code null} duration waits forever (Python's {@code timeout=-1}). A thread that is
 * interrupted while blocked gets {@link UncheckedInterruptedException} with its interrupt flag
 * restored; an interrupt is only noticed when the call would block, so a free lock is taken even
 * by an interrupted thread.
 *
 * <p><b>Memory consistency effects:</b> actions before a {@code release()} happen-before actions
 * after a subsequent successful {@code acquire} in another thread, as for any
 * {@link java.util.concurrent.locks.Lock}.
 *
 * <p><b>Differences from Python:</b> releasing an unlocked lock throws
 * {@link IllegalStateException} (Python's {@code RuntimeError}).
 */
public class Lock implements LockLike {

    /** State 0 = unlocked, 1 = locked. No owner is recorded: any thread may release. */
    private static final class Sync extends AbstractQueuedSynchronizer {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean tryAcquire(int ignored) {
            return getState() == 0 && compareAndSetState(0, 1);
        }

        @Override
        protected boolean tryRelease(int ignored) {
            // CAS, not a plain write: two racing releases of one acquisition must not both succeed.
            if (!compareAndSetState(1, 0)) {
                throw new IllegalStateException("release unlocked lock");
            }
            return true;
        }

        @Override
        protected boolean isHeldExclusively() {
            // Not used for ownership (a Lock has none); AQS asks it only for ConditionObjects.
            return getState() != 0;
        }

        boolean isLocked() {
            return getState() != 0;
        }
    }

    private final Sync sync = new Sync();
    /** Waiters a {@link Condition} notified while this lock was held, unparked by the next release. */
    private final ReleaseWakeups wakeups = new ReleaseWakeups();

    /** Creates an unlocked lock. */
    public Lock() {}

    /** Blocks until the lock is acquired; returns {@code true}. */
    @Override
    public boolean acquire() {
        if (!sync.tryAcquire(1)) {
            ExclusiveWaits.acquire(sync);
        }
        return true;
    }


    /** With {@code blocking} {@code false}, takes the lock only if it is free now; returns whether it did. */
    @Override
    public boolean acquire(boolean blocking) {
        return blocking ? acquire() : sync.tryAcquire(1);
    }

    /** Waits at most {@code timeout} (negative or {@code null}: forever); returns whether acquired. */
    @Override
    public boolean acquire(Duration timeout) {
        return sync.tryAcquire(1) || ExclusiveWaits.acquire(sync, timeout);
    }

    /**
     * Unlocks; any thread may call it. Throws {@link IllegalStateException} if the lock is not
     * locked.
     */
    @Override
    public void release() {
        sync.release(1);
        // After the state's volatile CAS: pairs with unparkAfterRelease's push-then-check.
        if (wakeups.hasPending()) {
            wakeups.wakeAll();
        }
    }

    /**
     * For {@link Condition}: unparks {@code waiter} once this lock is next released, or now if it
     * is already free (see {@link ReleaseWakeups} for why no wake-up is lost).
     */
    void unparkAfterRelease(java.lang.Thread waiter) {
        wakeups.add(waiter);
        if (!sync.isLocked()) {
            wakeups.wakeAll();
        }
    }

    /** Returns whether the lock is held (by any thread). */
    @Override
    public boolean locked() {
        return sync.isLocked();
    }

    // The three hooks Condition uses (CPython's _is_owned, _release_save, _acquire_restore):
    // package-private, so they are not part of the lock's API.

    /** As CPython's fallback for a lock without an owner: "owned" means "locked". */
    boolean isOwned() {
        return sync.isLocked();
    }

    /** Releases the lock; returns 1. */
    int releaseSave() {
        release();
        return 1;
    }

    /** Re-acquires the lock, blocking through interrupts (the flag is preserved). */
    void acquireRestore(int saved) {
        if (!sync.tryAcquire(1)) {
            sync.acquire(1);
        }
    }

    @Override
    public String toString() {
        return "<" + (locked() ? "locked" : "unlocked") + " Lock>";
    }
}
