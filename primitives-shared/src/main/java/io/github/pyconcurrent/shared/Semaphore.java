package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.shared.internal.ProcessIdentity;
import io.github.pyconcurrent.shared.internal.SharedMemoryLayout;
import io.github.pyconcurrent.threading.SemaphoreLike;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.io.Serial;
import java.io.Serializable;
import java.lang.System.Logger.Level;

/**
 * A counting semaphore shared between processes: Python's {@code multiprocessing.Semaphore},
 * with the methods of {@code threading.Semaphore}.
 *
 * <pre>{@code
 * Semaphore slots = new Semaphore(4);
 * try (var held = slots.hold()) { ... }       // at most 4 holders across all processes
 * }</pre>
 *
 * <p>Beyond Python — robustness: each process's outstanding permits are counted in a small table
 * in the segment ({@link SemaphoreLayout}). When a process dies holding permits, a waiter that has
 * slept a whole owner-check interval ({@code pyconcurrent.shared.ownerCheckMillis}) returns them,
 * logs a WARNING and its acquire then reports {@link #ownerDied()}. Limits: at most
 * {@value SemaphoreLayout#SLOTS} processes are tracked at once (permits of further processes are
 * not recoverable); a permit is charged to the process that acquired it and a release is credited
 * to the releasing process's own charge (a permit acquired in one process and released by another
 * is handled correctly only if the acquirer is still alive, or its charge is already 0); a process
 * killed between taking a permit and recording it (a few instructions) loses that one permit.
 *
 * <p>Cost: an uncontended acquire is a CAS on the value plus an atomic add on this process's
 * slot, a release the same two, allocation-free; waiters sleep on a shared futex.
 *
 * <p>Memory consistency: actions before a release happen-before actions after an acquire that
 * takes the released permit, across processes.
 *
 * <p>Serializable as a handle to the same shared semaphore.
 */
public class Semaphore extends RobustAcquire implements SemaphoreLike, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger("io.github.pyconcurrent.shared");

    private final transient int value;
    private final transient int sleepers;
    /** This process's slot in the holder table, or -1 until its first acquire (or if the table is full). */
    private transient int mySlot = -1;

    /** A semaphore with one permit. */
    public Semaphore() {
        this(1);
    }

    /**
     * A semaphore with {@code value} permits ({@code value < 0} throws {@link IllegalArgumentException}).
     *
     * @param value the number of permits at the start
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public Semaphore(int value) {
        this(value, -1);
    }

    Semaphore(int value, int bound) {
        this(SharedMemory.createAnonymous("sem", SemaphoreLayout.SIZE), SharedMemoryLayout.HEADER_SIZE);
        if (value < 0) {
            throw new IllegalArgumentException("semaphore initial value must be >= 0");
        }
        buf.putInt(base + SemaphoreLayout.BOUND, bound);
        Words.INT.setVolatile(buf, this.value, value);
    }

    Semaphore(SharedMemory shm, int base) {
        super(shm, base);
        this.value = base + SemaphoreLayout.VALUE;
        this.sleepers = base + SemaphoreLayout.SLEEPERS;
    }

    @Override
    boolean acquireNanos(long timeoutNanos) {
        if (tryTake()) {
            charge(1);
            return acquired(false);
        }
        return timeoutNanos != 0 && acquireSlow(timeoutNanos);
    }

    private boolean tryTake() {
        int v;
        while ((v = (int) Words.INT.getVolatile(buf, value)) > 0) {
            if (Words.INT.compareAndSet(buf, value, v, v - 1)) {
                return true;
            }
        }
        return false;
    }

    private boolean acquireSlow(long timeoutNanos) {
        final long start = System.nanoTime();
        boolean recovered = false;
        Words.INT.getAndAdd(buf, sleepers, 1);
        try {
            while (true) {
                if (tryTake()) {
                    charge(1);
                    return acquired(recovered);
                }
                if (Thread.interrupted()) {
                    throw UncheckedInterruptedException.restore(new InterruptedException());
                }
                long slice = WaitSlices.nextSlice(start, timeoutNanos);
                if (slice == 0) {
                    return false;
                }
                if (!Futex.await(shm.address() + value, 0, slice)) {
                    recovered |= reclaimFromDead() > 0;
                }
            }
        } finally {
            Words.INT.getAndAdd(buf, sleepers, -1);
        }
    }

    @Override
    public void release() {
        release(1);
    }

    @Override
    public void release(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be one or more");
        }
        int bound = buf.getInt(base + SemaphoreLayout.BOUND);
        if (bound < 0) {
            Words.INT.getAndAdd(buf, value, n);
        } else {
            int v;
            do {
                v = (int) Words.INT.getVolatile(buf, value);
                if (v + n > bound) {
                    throw new IllegalArgumentException("Semaphore released too many times");
                }
            } while (!Words.INT.compareAndSet(buf, value, v, v + n));
        }
        discharge(n);
        if ((int) Words.INT.getVolatile(buf, sleepers) != 0) {
            Futex.wake(shm.address() + value, n);
        }
    }

    /**
     * The number of free permits now (Python's {@code get_value()}).
     *
     * @return the number of free permits now
     */
    public int getValue() {
        return (int) Words.INT.getVolatile(buf, value);
    }

    /**
     * The number of free permits now; the same as {@link #getValue()}, named as the threading package's.
     *
     * @return the number of free permits now
     */
    public int availablePermits() {
        return getValue();
    }

    /** Records {@code n} permits as held by this process. */
    private void charge(int n) {
        int slot = mySlot >= 0 ? mySlot : claimSlot();
        if (slot >= 0) {
            Words.INT.getAndAdd(buf, slotBase(slot) + SemaphoreLayout.SLOT_PERMITS, n);
        }
    }

    /** Credits a release against this process's own charge, never below 0. */
    private void discharge(int n) {
        int slot = mySlot;
        if (slot < 0) {
            return;
        }
        int at = slotBase(slot) + SemaphoreLayout.SLOT_PERMITS;
        int held;
        do {
            held = (int) Words.INT.getVolatile(buf, at);
            if (held == 0) {
                return;
            }
        } while (!Words.INT.compareAndSet(buf, at, held, held - Math.min(held, n)));
    }

    private int claimSlot() {
        for (int attempt = 0; attempt < 2; attempt++) {
            for (int i = 0; i < SemaphoreLayout.SLOTS; i++) {
                if ((long) Words.LONG.getVolatile(buf, slotBase(i) + SemaphoreLayout.SLOT_OWNER) == ProcessIdentity.SELF) {
                    mySlot = i;
                    return i;
                }
            }
            for (int i = 0; i < SemaphoreLayout.SLOTS; i++) {
                if (Words.LONG.compareAndSet(buf, slotBase(i) + SemaphoreLayout.SLOT_OWNER, 0L, ProcessIdentity.SELF)) {
                    mySlot = i;
                    return i;
                }
            }
            reclaimFromDead(); // frees the slots of dead processes, then try once more
        }
        return -1;
    }

    /** Returns the permits of dead processes to the semaphore and frees their slots; returns how many. */
    private int reclaimFromDead() {
        int total = 0;
        for (int i = 0; i < SemaphoreLayout.SLOTS; i++) {
            int ownerAt = slotBase(i) + SemaphoreLayout.SLOT_OWNER;
            long owner = (long) Words.LONG.getVolatile(buf, ownerAt);
            if (owner == 0 || owner == SemaphoreLayout.RECLAIMING || owner == ProcessIdentity.SELF
                    || ProcessIdentity.isAlive(owner)) {
                continue;
            }
            if (!Words.LONG.compareAndSet(buf, ownerAt, owner, SemaphoreLayout.RECLAIMING)) {
                continue; // another waiter is returning them
            }
            int permits = (int) Words.INT.getAndSet(buf, slotBase(i) + SemaphoreLayout.SLOT_PERMITS, 0);
            if (permits > 0) {
                Words.INT.getAndAdd(buf, value, permits);
                LOG.log(Level.WARNING, "returned " + permits + " permit(s) of semaphore " + shm.name()
                        + " held by " + ProcessIdentity.describe(owner) + ", which died holding them");
                Futex.wake(shm.address() + value, permits);
                total += permits;
            }
            Words.LONG.setVolatile(buf, ownerAt, 0L);
        }
        return total;
    }

    private int slotBase(int slot) {
        return base + SemaphoreLayout.HOLDERS + slot * SemaphoreLayout.SLOT_SIZE;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[value=" + getValue() + "]";
    }
}
