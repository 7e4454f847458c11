package io.github.pyconcurrent.shared;

/**
 * The shared words of a {@link Lock} or an {@link RLock}: one cache line, offsets from the lock's
 * base in its segment.
 *
 * <pre>
 *   0   long  OWNER_WORD    0 = free; else the holder's {@link ProcessIdentity} owner word. Only ever
 *                           changed by CAS (acquire, takeover) or getAndSet(0) (release). The futex
 *                           waits on its low 32 bits (this same address, little-endian).
 *   8   int   SLEEPERS      threads (of all processes) sleeping, or about to sleep, on the futex;
 *                           a release wakes one only when this is non-zero
 *   16  long  OWNER_THREAD  RLock: the holder's Java thread id (0 when free); written only by the holder
 *   24  int   COUNT         RLock: recursion depth; read and written only by the holder
 *   28..63    padding: a lock never shares a cache line with anything else
 * </pre>
 */
final class LockLayout {
    static final int OWNER_WORD = 0;
    static final int SLEEPERS = 8;
    static final int OWNER_THREAD = 16;
    static final int COUNT = 24;
    static final int SIZE = 64;

    private LockLayout() {}
}
