package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.shared.internal.ProcessIdentity;

/**
 * The shared words of a {@link Lock} or an {@link RLock}: one cache line, offsets from the lock's
 * base in its segment. (An RLock's owner thread and recursion count are not here: only the owning
 * process ever needs them, so they live in that JVM's memory, see {@link RLock}.)
 *
 * <pre>
 *   0   long  OWNER_WORD    0 = free; else the holder's {@link ProcessIdentity} owner word (even),
 *                           plus bit 0 {@link RobustMutex#CONTENDED} when a waiter may be sleeping.
 *                           Only ever changed by CAS (acquire, setting the bit, takeover) or
 *                           getAndSet(0) (release). The futex waits on its low 32 bits (this same
 *                           address, little-endian).
 *   8..63     padding: a lock never shares a cache line with anything else
 * </pre>
 */
final class LockLayout {
    static final int OWNER_WORD = 0;
    static final int SIZE = 64;

    private LockLayout() {}
}
