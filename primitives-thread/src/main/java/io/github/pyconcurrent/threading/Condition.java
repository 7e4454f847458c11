package io.github.pyconcurrent.threading;

import io.github.pyconcurrent.internal.Timeouts;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A condition variable: Python's {@code threading.Condition}.
 *
 * <p>A condition is associated with a lock (a new {@link RLock} by default). A thread holding the
 * lock may {@link #waitFor() wait}: the lock is released, the thread sleeps until another thread
 * holding the lock calls {@link #notifyOne()}, {@link #notify(int)} or
 * {@link #notifyAllWaiters()}, and the lock is re-acquired before {@code waitFor} returns.
 * {@link #waitUntil(BooleanSupplier, Duration)} (Python's {@code wait_for}) wraps the usual
 * "while not predicate: wait" loop.
 *
 * <pre>{@code
 * Condition cv = new Condition();
 * // consumer                                   // producer
 * try (var held = cv.hold()) {                  try (var held = cv.hold()) {
 *     cv.waitUntil(() -> !queue.isEmpty());         queue.add(item);
 *     item = queue.remove();                        cv.notifyOne();
 * }                                             }
 * }</pre>
 *
 * <p><b>Locks.</b> Any {@link LockLike} works. Over this package's {@link Lock} and {@link RLock}
 * the condition uses their own hooks (CPython's {@code _is_owned}, {@code _release_save},
 * {@code _acquire_restore}, package-private here): an {@code RLock} held several times is fully
 * released while waiting and re-acquired to the same depth afterwards; "owning" a {@code Lock},
 * which has no owner, means it is locked (as in CPython). Over any other {@code LockLike} it uses
 * CPython's fallbacks: "owned" means "cannot be acquired without blocking", and waiting releases
 * once and re-acquires once (so it cannot wait with a re-entrant lock held twice). The
 * process-shared locks have a {@code Condition} of their own.
 *
 * <p><b>Two waiter queues.</b> Over an {@link RLock} of this package (the default) the waiters
 * queue on the lock's own synchronizer ({@link AbstractQueuedSynchronizer.ConditionObject}, as a
 * {@code ReentrantLock}'s conditions do): a notification moves the waiter onto the lock's queue
 * without waking it, and the notifier's release wakes it once, holding the lock. Over any other
 * lock the condition keeps its own queue of parked threads. A plain {@link Lock} uses that queue
 * on purpose: it has no owner, so a thread that did not acquire it may wait or notify while
 * another thread holds it (as in CPython), and AQS's condition queue is only safe for one owning
 * thread at a time; instead, a notified waiter is unparked by the lock's next release (see
 * {@link ReleaseWakeups}), so it too wakes once, to a free lock. Over a foreign lock the notifier
 * unparks the waiter at once, and a waiter that finds the lock still held by its notifier parks a
 * second time on the lock. The guarantees below hold for every queue.
 *
 * <p><b>Guarantees.</b> Waiting, notifying and waiting-until without owning the lock throw
 * {@link IllegalStateException} (Python's {@code RuntimeError}). {@code notify(n)} wakes at most
 * {@code n} waiters, in arrival order; a waiter whose timeout has already fired is skipped and
 * does not consume a notification. {@code waitFor} returns only when notified or timed out: a
 * spurious wake-up of the underlying park never reaches the caller.
 *
 * <p><b>Timeouts and interrupts.</b> A negative timeout does not wait (it still releases and
 * re-acquires the lock); {@code null} waits forever. If the thread is interrupted while waiting
 * and was not notified, the lock is re-acquired and then {@link UncheckedInterruptedException} is
 * thrown with the interrupt flag restored; if a notification and an interrupt race, the
 * notification wins and the flag stays set.
 *
 * <p><b>Memory consistency effects:</b> those of the lock: a waiter re-acquires the lock after the
 * notifier released it.
 *
 * <p><b>Differences from Python:</b> Python's {@code wait}, {@code wait_for}, {@code notify} and
 * {@code notify_all} are {@code waitFor}, {@code waitUntil}, {@code notifyOne}/{@code notify(n)}
 * and {@code notifyAllWaiters}, because {@code java.lang.Object} owns the other names.
 */
public class Condition implements ConditionLike {

    /** One blocked waitFor; its state moves once from WAITING to NOTIFIED or CANCELLED, by CAS. */
    private static final class Waiter {
        static final int WAITING = 0;
        static final int NOTIFIED = 1;
        static final int CANCELLED = 2;

        final java.lang.Thread thread = java.lang.Thread.currentThread();
        volatile int state;

        boolean casState(int expected, int next) {
            return STATE.compareAndSet(this, expected, next);
        }
    }

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LockLike lock;
    /**
     * When the lock is exactly an {@link RLock} (a subclass may override the hooks, which AQS
     * would bypass): that lock, and the condition queue on its synchronizer that replaces
     * {@link #waiters}. Both null otherwise.
     */
    private final RLock queuedLock;
    private final AbstractQueuedSynchronizer.ConditionObject lockQueue;
    /**
     * When the lock is exactly a {@link Lock}: that lock, whose next release unparks the waiters
     * {@code notify} picked, rather than {@code notify} itself while the lock is still held.
     */
    private final Lock morphingLock;
    /**
     * Waiters in arrival order, when there is no {@link #lockQueue}. Normally touched only by
     * threads holding the lock, but a plain {@link Lock} has no owner (any thread "owns" it while
     * it is locked, as in CPython), so two threads may reach it at once: hence a concurrent queue
     * rather than an ArrayDeque.
     */
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    /** A condition over a new {@link RLock} (Python's default). */
    public Condition() {
        this(new RLock());
    }

    /**
     * A condition over {@code lock}.
     *
     * @param lock the lock to wait and notify under
     * @throws NullPointerException if {@code lock} is null
     */
    public Condition(Lock lock) {
        this((LockLike) lock);
    }

    /**
     * A condition over {@code lock}.
     *
     * @param lock the lock to wait and notify under
     * @throws NullPointerException if {@code lock} is null
     */
    public Condition(RLock lock) {
        this((LockLike) lock);
    }

    /**
     * A condition over any lock-like object: over this package's {@link Lock} or {@link RLock} (or
     * a subclass) their hooks are used; over any other, CPython's fallbacks (see the class comment).
     *
     * @param lock the lock to wait and notify under
     * @throws NullPointerException if {@code lock} is null
     */
    public Condition(LockLike lock) {
        if (lock == null) {
            throw new NullPointerException("lock");
        }
        this.lock = lock;
        if (lock.getClass() == RLock.class) {
            this.queuedLock = (RLock) lock;
            this.lockQueue = queuedLock.newCondition();
        } else {
            this.queuedLock = null;
            this.lockQueue = null;
        }
        this.morphingLock = lock.getClass() == Lock.class ? (Lock) lock : null;
    }

    /**
     * The lock this condition is associated with.
     *
     * @return the lock this condition waits and notifies under
     */
    public LockLike lock() {
        return lock;
    }

    /** Acquires the underlying lock. */
    @Override
    public boolean acquire() {
        return lock.acquire();
    }

    /** Acquires the underlying lock, or not if {@code blocking} is false and it is taken. */
    @Override
    public boolean acquire(boolean blocking) {
        return lock.acquire(blocking);
    }

    /** Acquires the underlying lock, waiting at most {@code timeout}. */
    @Override
    public boolean acquire(Duration timeout) {
        return lock.acquire(timeout);
    }

    /** Releases the underlying lock. */
    @Override
    public void release() {
        lock.release();
    }

    /** Waits until notified; returns {@code true}. The caller must hold the lock. */
    @Override
    public boolean waitFor() {
        return await(Timeouts.FOREVER);
    }

    /**
     * Waits until notified or {@code timeout} elapses (negative: no wait; {@code null}: forever);
     * returns {@code false} on timeout. The caller must hold the lock.
     */
    @Override
    public boolean waitFor(Duration timeout) {
        return await(Timeouts.waitNanos(timeout));
    }

    /** Waits until {@code predicate} holds; returns {@code true}. The caller must hold the lock. */
    @Override
    public boolean waitUntil(BooleanSupplier predicate) {
        return waitUntil(predicate, null);
    }

    /**
     * Waits until {@code predicate} holds or {@code timeout} elapses; returns the predicate's last
     * value. The predicate is evaluated with the lock held, first before any wait.
     */
    @Override
    public boolean waitUntil(BooleanSupplier predicate, Duration timeout) {
        checkOwned("wait on");
        long nanos = Timeouts.waitNanos(timeout);
        long deadline = nanos == Timeouts.FOREVER ? 0L : System.nanoTime() + nanos;
        boolean result = predicate.getAsBoolean();
        while (!result) {
            long wait = Timeouts.FOREVER;
            if (nanos != Timeouts.FOREVER) {
                wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    break;
                }
            }
            await(wait);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    /** Wakes one waiter, if any. The caller must hold the lock. */
    @Override
    public void notifyOne() {
        notify(1);
    }

    /** Wakes at most {@code n} waiters, the longest-waiting first. The caller must hold the lock. */
    @Override
    public void notify(int n) {
        checkOwned("notify on");
        if (lockQueue != null) {
            notifyOnLockQueue(n);
            return;
        }
        Waiter w;
        while (n > 0 && (w = waiters.poll()) != null) {
            // A waiter that timed out or was interrupted has CANCELLED itself: skip it, so it
            // does not swallow a notification meant for a live waiter.
            if (w.casState(Waiter.WAITING, Waiter.NOTIFIED)) {
                if (morphingLock != null) {
                    morphingLock.unparkAfterRelease(w.thread);
                } else {
                    LockSupport.unpark(w.thread);
                }
                n--;
            }
        }
    }

    /** Wakes every waiter. The caller must hold the lock. */
    @Override
    public void notifyAllWaiters() {
        notify(Integer.MAX_VALUE);
    }

    /** Moves at most {@code n} live waiters onto the lock's queue; cancelled ones are skipped by AQS. */
    private void notifyOnLockQueue(int n) {
        if (n == Integer.MAX_VALUE) {
            lockQueue.signalAll();
            return;
        }
        // hasWaiters looks past cancelled nodes only until the first live one, and signal()
        // unlinks what it passes, so this stays proportional to the waiters actually woken.
        while (n > 0 && queuedLock.hasWaiters(lockQueue)) {
            lockQueue.signal();
            n--;
        }
    }

    private boolean await(long nanos) {
        checkOwned("wait on");
        if (lockQueue != null) {
            return awaitOnLockQueue(nanos);
        }
        if (java.lang.Thread.interrupted()) {
            throw UncheckedInterruptedException.restore(new InterruptedException());
        }
        Waiter w = new Waiter();
        waiters.add(w);
        int saved;
        try {
            saved = releaseSave();
        } catch (RuntimeException | Error e) {
            w.casState(Waiter.WAITING, Waiter.CANCELLED);
            waiters.remove(w);
            throw e;
        }
        boolean notified = false;
        boolean interrupted = false;
        try {
            long deadline = nanos == Timeouts.FOREVER ? 0L : System.nanoTime() + nanos;
            for (;;) {
                if (w.state != Waiter.WAITING) {
                    notified = true;
                    break;
                }
                if (java.lang.Thread.interrupted()) {
                    interrupted = true;
                    notified = !w.casState(Waiter.WAITING, Waiter.CANCELLED);
                    break;
                }
                if (nanos == Timeouts.FOREVER) {
                    LockSupport.park(this);
                } else {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0L) {
                        notified = !w.casState(Waiter.WAITING, Waiter.CANCELLED);
                        break;
                    }
                    LockSupport.parkNanos(this, remaining);
                }
            }
        } finally {
            acquireRestore(saved);
            if (!notified) {
                // Still queued unless a notifier already dropped it while skipping.
                waiters.remove(w);
            }
        }
        if (interrupted) {
            if (!notified) {
                throw UncheckedInterruptedException.restore(new InterruptedException());
            }
            java.lang.Thread.currentThread().interrupt();
        }
        return notified;
    }

    /**
     * AQS's await has the guarantees this class documents: it returns only once signalled,
     * interrupted or timed out (the timed form returns whether it was signalled, and a signal
     * that races the timeout or an interrupt wins, leaving the flag set); it saves and restores
     * the whole recursion count; an interrupt while re-acquiring is kept in the flag. The one
     * exception is AQS's own: if allocating its queue node throws OutOfMemoryError, await
     * releases, waits a moment and re-acquires, i.e. returns as if notified.
     */
    private boolean awaitOnLockQueue(long nanos) {
        try {
            if (nanos == Timeouts.FOREVER) {
                lockQueue.await();
                return true;
            }
            return lockQueue.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            throw UncheckedInterruptedException.restore(e);
        } catch (IllegalMonitorStateException e) {
            // Unreachable after checkOwned (only the owner can release an RLock), kept as the
            // documented exception should that ever change.
            throw new IllegalStateException("cannot wait on un-acquired lock", e);
        }
    }

    private void checkOwned(String what) {
        boolean owned;
        if (lock instanceof RLock r) {
            owned = r.isOwned();
        } else if (lock instanceof Lock l) {
            owned = l.isOwned();
        } else if (lock.acquire(false)) {
            // CPython's fallback: if we could take it, we did not hold it.
            lock.release();
            owned = false;
        } else {
            owned = true;
        }
        if (!owned) {
            throw new IllegalStateException("cannot " + what + " un-acquired lock");
        }
    }

    private int releaseSave() {
        if (lock instanceof RLock r) {
            return r.releaseSave();
        }
        if (lock instanceof Lock l) {
            return l.releaseSave();
        }
        lock.release();
        return 1;
    }

    private void acquireRestore(int saved) {
        if (lock instanceof RLock r) {
            r.acquireRestore(saved);
            return;
        }
        if (lock instanceof Lock l) {
            l.acquireRestore(saved);
            return;
        }
        // A foreign lock may be interruptible: keep trying, then put the flag back.
        boolean interrupted = false;
        for (;;) {
            try {
                lock.acquire();
                break;
            } catch (UncheckedInterruptedException e) {
                java.lang.Thread.interrupted(); // clear it, so the next acquire can block
                interrupted = true;
            }
        }
        if (interrupted) {
            java.lang.Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "<Condition(" + lock + ")>";
    }
}
