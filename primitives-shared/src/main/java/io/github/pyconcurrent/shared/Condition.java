package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.internal.Timeouts;
import io.github.pyconcurrent.shared.internal.SharedMemoryLayout;
import io.github.pyconcurrent.threading.ConditionLike;
import io.github.pyconcurrent.threading.LockLike;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A condition variable shared between processes, over a process-shared {@link Lock} or
 * {@link RLock}: Python's {@code multiprocessing.Condition}, with the methods of
 * {@code threading.Condition} ({@code wait} is {@code waitFor}, {@code notify_all} is
 * {@code notifyAllWaiters}, because {@link Object} owns those names).
 *
 * <pre>{@code
 * Condition ready = new Condition();            // over a new shared RLock
 * try (var held = ready.hold()) {
 *     ready.waitUntil(() -> queueNotEmpty(), Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>How it works: a waiter reads the sequence word and registers (waiters + 1) while holding
 * the lock, releases the lock and sleeps on the sequence futex. {@code notify(n)} (lock held) grants
 * {@code min(n, waiters - tokens)} tokens, bumps the sequence and wakes that many sleepers; a waiter
 * that sees the sequence move takes a token and returns. A waiter that times out leaves; if at
 * that moment every remaining waiter already has a token, one of them was its own and it takes
 * it (and returns {@code true}), so a notification is never lost to a timeout. Deliberate
 * difference: which of the waiters present at a {@code notify(1)} wakes is not guaranteed FIFO
 * (Python's is); how many wake is exact.
 *
 * <p>Limit: a waiting process that dies stays counted as a waiter, so a later {@code notify(n)}
 * may spend one notification on it; waiters that must survive such a death should wait with a
 * timeout and re-check their predicate ({@link #waitUntil(BooleanSupplier, Duration)}).
 *
 * <p>Memory consistency: as the lock; a waiter returns holding it.
 *
 * <p>Serializable as a handle (its segment, and its lock's handle).
 */
public final class Condition extends SegmentPrimitive implements ConditionLike, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient int sequence;
    private final transient int waitersTokens;
    private final transient SharedLock lock;

    /** A condition over a new process-shared {@link RLock}. */
    public Condition() {
        this(SharedMemory.createAnonymous("cond", ConditionLayout.SIZE_WITH_OWN_LOCK), SharedMemoryLayout.HEADER_SIZE);
    }

    private Condition(SharedMemory seg, int base) {
        this(seg, base, new RLock(seg, base + ConditionLayout.OWN_LOCK));
    }

    /**
     * A condition over a process-shared {@link Lock}.
     *
     * @param lock the process-shared lock to wait and notify under
     * @throws NullPointerException if {@code lock} is null
     */
    public Condition(Lock lock) {
        this(SharedMemory.createAnonymous("cond", ConditionLayout.SIZE), SharedMemoryLayout.HEADER_SIZE, lock);
    }

    /**
     * A condition over a process-shared {@link RLock}.
     *
     * @param lock the process-shared lock to wait and notify under
     * @throws NullPointerException if {@code lock} is null
     */
    public Condition(RLock lock) {
        this(SharedMemory.createAnonymous("cond", ConditionLayout.SIZE), SharedMemoryLayout.HEADER_SIZE, lock);
    }

    /**
     * A condition over {@code lock}, which must be a process-shared {@link Lock} or {@link RLock}
     * of this package ({@link IllegalArgumentException} otherwise: a lock private to one JVM
     * cannot guard state shared between processes).
     *
     * @param lock the process-shared lock to wait and notify under
     * @throws IllegalArgumentException if {@code lock} is not a {@link Lock} or {@link RLock} of this package
     */
    public Condition(LockLike lock) {
        this(SharedMemory.createAnonymous("cond", ConditionLayout.SIZE), SharedMemoryLayout.HEADER_SIZE, sharedLock(lock));
    }

    private static SharedLock sharedLock(LockLike lock) {
        if (lock instanceof SharedLock shared) {
            return shared;
        }
        throw new IllegalArgumentException("a process-shared Condition needs a Lock or RLock of io.github.pyconcurrent.shared, not "
                + (lock == null ? "null" : lock.getClass().getName()));
    }

    Condition(SharedMemory shm, int base, SharedLock lock) {
        super(shm, base);
        this.sequence = base + ConditionLayout.SEQUENCE;
        this.waitersTokens = base + ConditionLayout.WAITERS_TOKENS;
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    @Override
    public boolean acquire() {
        return lock.acquire();
    }

    @Override
    public boolean acquire(boolean blocking) {
        return lock.acquire(blocking);
    }

    @Override
    public boolean acquire(Duration timeout) {
        return lock.acquire(timeout);
    }

    @Override
    public void release() {
        lock.release();
    }

    /**
     * The lock this condition is over.
     *
     * @return the lock this condition waits and notifies under
     */
    public LockLike lock() {
        return lock;
    }

    @Override
    public boolean waitFor() {
        return await(Timeouts.FOREVER);
    }

    @Override
    public boolean waitFor(Duration timeout) {
        return await(Timeouts.waitNanos(timeout));
    }

    private boolean await(long timeoutNanos) {
        if (!lock.isOwned()) {
            throw new IllegalStateException("cannot wait on un-acquired lock");
        }
        // Sequence first, then register: a notify in between (possible over a plain Lock, which
        // any thread may notify under) is then seen as a change, never missed.
        int seen = (int) Words.INT.getVolatile(buf, sequence);
        Words.LONG.getAndAdd(buf, waitersTokens, ConditionLayout.ONE_WAITER);
        final long start = System.nanoTime();
        int saved = lock.releaseSave();
        boolean notified = false;
        boolean interrupted = false;
        try {
            while (true) {
                int now = (int) Words.INT.getVolatile(buf, sequence);
                if (now != seen) {
                    if (takeToken()) {
                        notified = true;
                        break;
                    }
                    seen = now; // another waiter took it: wait for the next notify
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                    notified = leave();
                    break;
                }
                long slice = WaitSlices.nextSlice(start, timeoutNanos);
                if (slice == 0) {
                    notified = leave();
                    break;
                }
                Futex.await(shm.address() + sequence, seen, slice);
            }
        } finally {
            lock.acquireRestore(saved);
        }
        if (interrupted) {
            if (notified) {
                notify(1); // hand the notification we took on to another waiter
            }
            throw UncheckedInterruptedException.restore(new InterruptedException());
        }
        return notified;
    }

    /** Takes one notification token (and leaves the waiters); false if none is left. */
    private boolean takeToken() {
        long w;
        do {
            w = (long) Words.LONG.getVolatile(buf, waitersTokens);
            if ((int) w == 0) {
                return false;
            }
        } while (!Words.LONG.compareAndSet(buf, waitersTokens, w, w - ConditionLayout.ONE_WAITER - 1));
        return true;
    }

    /** Leaves the waiters without a notification, unless every waiter left holds one: then takes it. */
    private boolean leave() {
        long w;
        boolean withToken;
        do {
            w = (long) Words.LONG.getVolatile(buf, waitersTokens);
            withToken = (int) w >= (int) (w >>> 32);
        } while (!Words.LONG.compareAndSet(buf, waitersTokens, w, w - ConditionLayout.ONE_WAITER - (withToken ? 1 : 0)));
        return withToken;
    }

    @Override
    public boolean waitUntil(BooleanSupplier predicate, Duration timeout) {
        return waitUntil(predicate, Timeouts.waitNanos(timeout));
    }

    private boolean waitUntil(BooleanSupplier predicate, long timeoutNanos) {
        if (!lock.isOwned()) {
            throw new IllegalStateException("cannot wait on un-acquired lock");
        }
        long start = System.nanoTime();
        boolean result = predicate.getAsBoolean();
        while (!result) {
            long wait = Timeouts.FOREVER;
            if (timeoutNanos >= 0) {
                wait = timeoutNanos - (System.nanoTime() - start);
                if (wait <= 0) {
                    break;
                }
            }
            await(wait);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    @Override
    public boolean waitUntil(BooleanSupplier predicate) {
        return waitUntil(predicate, Timeouts.FOREVER);
    }

    @Override
    public void notifyOne() {
        notify(1);
    }

    @Override
    public void notify(int n) {
        if (!lock.isOwned()) {
            throw new IllegalStateException("cannot notify on un-acquired lock");
        }
        if (n <= 0) {
            return;
        }
        long w;
        int granted;
        do {
            w = (long) Words.LONG.getVolatile(buf, waitersTokens);
            int waiters = (int) (w >>> 32);
            int tokens = (int) w;
            granted = Math.min(n, waiters - tokens);
            if (granted <= 0) {
                return;
            }
        } while (!Words.LONG.compareAndSet(buf, waitersTokens, w, w + granted));
        Words.INT.getAndAdd(buf, sequence, 1);
        Futex.wake(shm.address() + sequence, granted);
    }

    @Override
    public void notifyAllWaiters() {
        notify(Integer.MAX_VALUE);
    }

    @Override
    public String toString() {
        long w = (long) Words.LONG.getVolatile(buf, waitersTokens);
        return "shared.Condition[" + lock + ", waiters=" + (w >>> 32) + "]";
    }

    /**
     * Travels as a handle to the same shared condition and its lock.
     *
     * @return the handle that is serialized in this condition's place
     */
    @Override
    @Serial
    Object writeReplace() {
        return new Handle(shm.name(), base, lock);
    }

    private record Handle(String segment, int base, SharedLock lock) implements Serializable {
        @Serial
        private Object readResolve() {
            return new Condition(SharedMemory.open(segment), base, lock);
        }
    }
}
