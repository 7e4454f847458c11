package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.internal.LazyLogger;
import io.github.pyconcurrent.shared.internal.ProcessIdentity;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

/**
 * The mechanics shared by {@link Lock} and {@link RLock}: a process-robust mutex on the word of
 * {@link LockLayout}. One CAS to acquire when free, one getAndSet to release; contended acquirers
 * spin briefly, then sleep on the futex in slices of {@link SharedTuning#OWNER_CHECK_NANOS}. After
 * each slice that times out with the word unchanged, a waiter checks that the holder's process
 * is alive; if it is dead the waiter takes the lock over with a CAS from the dead owner word (only
 * one waiter can win it) and reports {@link #TOOK_OVER}.
 *
 * <p>The word is the holder's owner word ({@link ProcessIdentity}: always even) plus bit 0,
 * {@link #CONTENDED}: "somebody may be sleeping on this lock" (Drepper's "futexes are tricky"
 * mutex, with the owner in the word). A waiter sets it with a CAS on the exact word it read, then
 * sleeps while the word still holds that value; a release swaps in 0 and makes the futex wake call
 * only when the old word had the bit. The bit is gone after the release, and a holder that took the
 * lock with the plain CAS does not set it, so while a woken waiter is still on its way to a CPU
 * (tens of microseconds) the holder's further releases make no syscall: one wake per sleep, not
 * one per release. (The previous design, a sleeper count beside the word, woke on every release
 * as long as anybody slept.)
 *
 * <p>Lost-wakeup argument. Invariant: while a thread sleeps (or is about to) on the futex, either
 * the word has {@link #CONTENDED} or a wake is on its way to a thread that will look again.
 * <ul>
 *   <li>A waiter sleeps only on a value {@code v} with the bit, which it saw in the word (its own
 *       CAS, or another waiter's); the kernel compares the word with {@code v} atomically with
 *       queueing the sleeper. If a release (the only thing that clears the bit) came in between,
 *       the word is no longer {@code v}: it is 0, or a new holder's owner word without the bit,
 *       and the wait returns at once. It can be {@code v} again only if another waiter set the bit
 *       anew, and then the holder's release will wake somebody. No ABA: a re-acquire by the same
 *       process (same owner word) with the plain CAS never recreates {@code v}, which is odd.</li>
 *   <li>A release that sees the bit wakes one sleeper. A thread that has slept re-sets the bit
 *       before sleeping again, and acquires with the bit set (it cannot know whether others still
 *       sleep), so its own release wakes the next one: the wake is passed along the sleepers. The
 *       price is one wake call that finds nobody, after the last sleeper got the lock.</li>
 *   <li>A waiter that leaves without the lock (timeout, interrupt) after a sleep that did not time
 *       out may have consumed the wake meant for others: it passes it on with one more wake.</li>
 * </ul>
 * The futex compares 32 bits: the low half of the word, which holds the bit and the whole pid, so
 * two different holders never look alike to it.
 *
 * <p>Memory consistency: the acquiring CAS and the releasing getAndSet are volatile accesses, so
 * everything a holder wrote, in any process, happens-before what the next holder reads.
 */
final class RobustMutex {
    static final int FAILED = 0;
    static final int ACQUIRED = 1;
    static final int TOOK_OVER = 2;

    /** Bit 0 of the word: a waiter may be sleeping, the release must wake one. Owner words are even. */
    static final long CONTENDED = 1L;

    private static final System.Logger LOG = LazyLogger.of("io.github.pyconcurrent.shared");

    private final SharedMemory shm;
    private final ByteBuffer buf;
    private final int ownerWord;
    private final String what;
    /** The end of the takeover WARNING: what the new holder should know about the guarded state. */
    private final String consequence;

    RobustMutex(SharedMemory shm, int base, String what) {
        this(shm, base, what, "the state it guarded may be inconsistent");
    }

    /** As above, with the takeover WARNING ending in {@code consequence} (a user that repairs the state says so). */
    RobustMutex(SharedMemory shm, int base, String what, String consequence) {
        this.shm = shm;
        this.buf = shm.whole();
        this.ownerWord = base + LockLayout.OWNER_WORD;
        this.what = what;
        this.consequence = consequence;
    }

    /** The fast path: one CAS from free to this process. */
    boolean tryAcquire() {
        return Words.LONG.compareAndSet(buf, ownerWord, 0L, ProcessIdentity.SELF);
    }

    /** The holder's owner word, 0 when free. */
    long holder() {
        return word() & ~CONTENDED;
    }

    private long word() {
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
            if (word() == 0 && tryAcquire()) {
                return ACQUIRED;
            }
        }
        long mine = ProcessIdentity.SELF;   // what this thread writes when it gets the lock
        boolean mayHoldWake = false;        // the last sleep ended other than by its timeout
        while (true) {
            long word = word();
            if (word == 0) {
                if (Words.LONG.compareAndSet(buf, ownerWord, 0L, mine)) {
                    return ACQUIRED;
                }
                continue;
            }
            if ((word & CONTENDED) == 0) {
                if (!Words.LONG.compareAndSet(buf, ownerWord, word, word | CONTENDED)) {
                    continue;
                }
                word |= CONTENDED;
            }
            if (Thread.interrupted()) {
                passOnWake(mayHoldWake);
                throw UncheckedInterruptedException.restore(new InterruptedException());
            }
            long slice = WaitSlices.nextSlice(start, timeoutNanos);
            if (slice == 0) {
                passOnWake(mayHoldWake);
                return FAILED;
            }
            boolean timedOut = !Futex.await(shm.address() + ownerWord, (int) word, slice);
            mine = ProcessIdentity.SELF | CONTENDED;
            mayHoldWake = !timedOut;
            // Check liveness only after a whole slice without a release: a lock that changes
            // hands costs no /proc reads, a dead holder is noticed within one slice.
            if (timedOut && word() == word && !ProcessIdentity.isAlive(word & ~CONTENDED)) {
                if (Words.LONG.compareAndSet(buf, ownerWord, word, ProcessIdentity.SELF | CONTENDED)) {
                    LOG.log(Level.WARNING, "took over " + what + " from its holder " + ProcessIdentity.describe(word & ~CONTENDED)
                            + ", which died holding it; " + consequence);
                    return TOOK_OVER;
                }
            }
        }
    }

    /** A waiter leaving without the lock hands on the wake it may have consumed (see the class comment). */
    private void passOnWake(boolean mayHoldWake) {
        if (mayHoldWake) {
            Futex.wake(shm.address() + ownerWord, 1);
        }
    }

    /** Releases; returns the owner word it replaced (0: it was not held). */
    long release() {
        long old = (long) Words.LONG.getAndSet(buf, ownerWord, 0L);
        if ((old & CONTENDED) != 0) {
            Futex.wake(shm.address() + ownerWord, 1);
        }
        return old & ~CONTENDED;
    }
}
