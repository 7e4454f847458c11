package io.github.pyconcurrent.threading;

/**
 * The three hooks a {@link Condition} needs from its lock: CPython's {@code _is_owned},
 * {@code _release_save} and {@code _acquire_restore}. {@link Lock} and {@link RLock} implement
 * it, and so may a process-shared lock, so that one {@code Condition} works over all of them.
 *
 * <p>A {@code Condition} over a {@link LockLike} that is not an {@code OwnableLock} falls back to
 * CPython's defaults: "owned" means "cannot be acquired without blocking", waiting releases once
 * and re-acquires once (so it cannot wait with a re-entrant lock held twice).
 *
 * <pre>{@code
 * if (!lock.isOwned()) throw new IllegalStateException("cannot wait on un-acquired lock");
 * int saved = lock.releaseSave();       // fully released, whatever the recursion depth
 * try { ... park until notified ... }
 * finally { lock.acquireRestore(saved); } // held again, same depth as before
 * }</pre>
 */
public interface OwnableLock extends LockLike {

    /**
     * Returns whether the calling thread may wait on (or notify) a condition over this lock: for a
     * re-entrant lock, whether the calling thread is its owner; for a plain {@link Lock}, which
     * has no owner, whether it is held at all (as CPython).
     */
    boolean isOwned();

    /**
     * Releases the lock completely (every recursion level) and returns what
     * {@link #acquireRestore(int)} needs to restore it: the recursion count. The caller must own
     * the lock.
     */
    int releaseSave();

    /**
     * Re-acquires the lock and restores the state {@link #releaseSave()} returned. Blocks until
     * acquired even if the thread is interrupted (the interrupt flag is preserved, for the caller
     * to report), because a condition's waiter must hold the lock again when it returns or throws.
     */
    void acquireRestore(int saved);
}
