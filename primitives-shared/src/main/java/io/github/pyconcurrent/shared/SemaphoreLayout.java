package io.github.pyconcurrent.shared;

/**
 * The shared words of a {@link Semaphore} / {@link BoundedSemaphore}, offsets from its base.
 *
 * <pre>
 *   0    int   VALUE      free permits; changed only by CAS / getAndAdd; the futex word
 *   4    int   SLEEPERS   threads of any process sleeping (or about to) on VALUE
 *   8    int   BOUND      BoundedSemaphore: the initial value, which VALUE may never exceed; -1 unbounded
 *   12..63     padding (VALUE gets its own cache line)
 *   64   HOLDERS: SLOTS entries of SLOT_SIZE bytes, one per process holding permits:
 *          +0  long  owner word of the process (0 = free slot, RECLAIMING = being returned)
 *          +8  int   permits that process acquired and has not released
 *          +12..15   padding
 * </pre>
 * A process takes a slot at its first acquire and keeps it; a dead process's slot is emptied
 * (its permits returned to VALUE) by a waiter, see {@link Semaphore}.
 */
final class SemaphoreLayout {
    static final int VALUE = 0;
    static final int SLEEPERS = 4;
    static final int BOUND = 8;
    static final int HOLDERS = 64;
    /** At most this many processes' permits are tracked for recovery. */
    static final int SLOTS = 32;
    static final int SLOT_SIZE = 16;
    static final int SLOT_OWNER = 0;
    static final int SLOT_PERMITS = 8;
    /** An owner-word value no process has (owner words are even): a slot being emptied. */
    static final long RECLAIMING = 1;
    static final int SIZE = HOLDERS + SLOTS * SLOT_SIZE;

    private SemaphoreLayout() {}
}
