package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

/**
 * The mechanics shared by {@link Lock} and {@link RLock}: a process-robust mutex on the words of
 * {@link LockLayout}. One CAS to acquire when free, one getAndSet to release; contended acquirers
 * spin briefly, then sleep on the futex in slices of {@link SharedTuning#OWNER_CHECK_NANOS}. After
 * each slice that times out with the holder unchanged, a waiter checks that the holder's process
 * is alive; if it is dead the waiter takes the lock over with a CAS from the dead owner word (only
 * one waiter can win it) and reports {@link #TOOK_OVER}.
 *
 * <p>Why a separate sleeper count rather than a "contended" bit in the word: the releaser must
 * not pay a futex syscall on every release once somebody has slept (a bit set by a waiter stays
 * until the next release). Lost-wakeup argument: a sleeper increments {@code SLEEPERS} (a full
 * fence) before re-reading the word and sleeping on the value it read; the releaser writes 0 (a
 * full fence) before reading {@code SLEEPERS}. Either the releaser sees the sleeper and wakes, or
 * the sleeper sees the word changed (the futex call returns at once). A wake that lands on a
 * waiter that then leaves (timeout) is at worst made up by the others' next slice.
 *
 * <p>Limit: a thread whose process dies while it sleeps leaves {@code SLEEPERS} one too high, so
 * from then on every release of this lock makes a (useless) futex wake call, about a microsecond;
 * correctness is unaffected.
 *
 * <p>Memory consistency: the acquiring CAS and the releasing getAndSet are volatile accesses, so
 * everything a holder wrote, in any process, happens-before what the next holder reads.
 */
final class RobustMutex {
    static final int FAILED = 0;
    static final int ACQUIRED = 1;
    static final int TOOK_OVER = 2;

    private static final System.Logger LOG = System.getLogger("io.github.pyconcurrent.shared");

    private final SharedMemory shm;
    private final ByteBuffer buf;
    private final int ownerWord;
    private final int sleepers;
    private final String what;

    RobustMutex(SharedMemory shm, int base, String what) {
        this.shm = shm;
        this.buf = shm.whole();
        this.ownerWord = base + LockLayout.OWNER_WORD;
        this.sleepers = base + LockLayout.SLEEPERS;
        this.what = what;
    }

    /** The fast path: one CAS from free to this process. */
    boolean tryAcquire() {
        return Words.LONG.compareAndSet(buf, ownerWord, 0L, ProcessIdentity.SELF);
    }

    /** The holder's owner word, 0 when free. */
    long holder() {
        return (long) Words.LONG.getVolatile(buf, ownerWord);
    }

    /**
     * Acquires within {@code timeoutNanos} (negative: forever); returns {@link #FAILED},
     * {@link #ACQUIRED} or {@link #TOOK_OVER}.
     */
    int acquire(long timeoutNanos) {
        if (tryAcquire()) {
            return ACQUIRED;
        }
        return timeoutNanos == 0 ? FAILED : acquireSlow(timeoutNanos);
    }

    private int acquireSlow(long timeoutNanos) {
        final long start = System.nanoTime();
        for (int i = 0; i < SharedTuning.SPINS; i++) {
            Thread.onSpinWait();
            if (holder() == 0 && tryAcquire()) {
                return ACQUIRED;
            }
        }
        Words.INT.getAndAdd(buf, sleepers, 1);
        try {
            while (true) {
                long held = holder();
                if (held == 0) {
                    if (tryAcquire()) {
                        return ACQUIRED;
                    }
                    continue;
                }
                if (Thread.interrupted()) {
                    throw UncheckedInterruptedException.restore(new InterruptedException());
                }
                long slice = Timeouts.nextSlice(start, timeoutNanos);
                if (slice == 0) {
                    return FAILED;
                }
                boolean timedOut = !Futex.await(shm.address() + ownerWord, (int) held, slice);
                // Check liveness only after a whole slice without a release: a lock that changes
                // hands costs no /proc reads, a dead holder is noticed within one slice.
                if (timedOut && holder() == held && !ProcessIdentity.isAlive(held)) {
                    if (Words.LONG.compareAndSet(buf, ownerWord, held, ProcessIdentity.SELF)) {
                        LOG.log(Level.WARNING, "took over " + what + " from its holder " + ProcessIdentity.describe(held)
                                + ", which died holding it; the state it guarded may be inconsistent");
                        return TOOK_OVER;
                    }
                }
            }
        } finally {
            Words.INT.getAndAdd(buf, sleepers, -1);
        }
    }

    /** Releases; returns the owner word it replaced (0: it was not held). */
    long release() {
        long old = (long) Words.LONG.getAndSet(buf, ownerWord, 0L);
        if ((int) Words.INT.getVolatile(buf, sleepers) != 0) {
            Futex.wake(shm.address() + ownerWord, 1);
        }
        return old;
    }
}
