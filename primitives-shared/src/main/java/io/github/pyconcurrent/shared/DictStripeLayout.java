package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.shared.internal.SharedMemoryLayout;

/**
 * The companion segment of a {@link SharedDict}: one robust lock and one write journal per
 * Chronicle Map segment of the dict (see {@link DictStripes} for the protocol). Offsets are from
 * the segment's {@link SharedMemoryLayout#HEADER_SIZE}; the stripes follow a one-line header.
 *
 * <pre>
 *   header (64 bytes)
 *   0   int   STRIPES           number of stripes = the dict's Chronicle segments; set by the creator
 *   4   int   JOURNAL_CAPACITY  bytes of journal per stripe (a multiple of 64)
 *   8..63     reserved
 *
 *   stripe i at HEADER + i * stripeSize(JOURNAL_CAPACITY):
 *   +0  long  OWNER_WORD  the stripe's {@link RobustMutex} word ({@link LockLayout#OWNER_WORD})
 *   +8  long  STATE       written only by the stripe's holder: the operation in progress on the
 *                         Chronicle segment, {@link #IDLE} when none; plus {@link #REPAIRING} while
 *                         a process that took the stripe over from a dead holder repairs the
 *                         segment (a repair that did not finish is redone by the next holder)
 *   +16 int   KEY_SIZE    journal: serialized key bytes at +64
 *   +20 int   VALUE_SIZE  journal: serialized value bytes right after the key (PUT only)
 *   +24..63   padding: the lock and its journal header share one cache line, no other stripe's
 *   +64       JOURNAL     JOURNAL_CAPACITY bytes: the key, then the value
 * </pre>
 */
final class DictStripeLayout {
    static final int HEADER = 64;
    static final int STRIPES = 0;
    static final int JOURNAL_CAPACITY = 4;

    static final int OWNER_WORD = LockLayout.OWNER_WORD;
    static final int STATE = 8;
    static final int KEY_SIZE = 16;
    static final int VALUE_SIZE = 20;
    static final int JOURNAL = 64;

    /** STATE: no write in progress. */
    static final long IDLE = 0;
    /** STATE: writing the journal's value under the journal's key. */
    static final long PUT = 1;
    /** STATE: removing the journal's key. */
    static final long REMOVE = 2;
    /** STATE: a write whose key and value did not fit the journal: repairable, not redoable. */
    static final long UNJOURNALED = 3;
    /** STATE bit: the segment is being repaired after its holder died. */
    static final long REPAIRING = 1L << 8;
    /** STATE: the operation bits. */
    static final long OP_MASK = 0xff;

    private DictStripeLayout() {}

    static int stripeSize(int journalCapacity) {
        return JOURNAL + journalCapacity;
    }

    static long size(int stripes, int journalCapacity) {
        return HEADER + (long) stripes * stripeSize(journalCapacity);
    }

    /** Offset of stripe {@code i} in the whole mapping (SharedMemory header included). */
    static int stripeBase(int i, int journalCapacity) {
        return SharedMemoryLayout.HEADER_SIZE + HEADER + i * stripeSize(journalCapacity);
    }
}
