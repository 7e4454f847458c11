package io.github.pyconcurrent.multiprocessing;

/**
 * The shared-memory layout of a {@link Ring}: one {@code SharedMemory} segment per ring, offsets
 * from the start of its {@code buffer()}. Every word that one side writes and the other polls has
 * its own cache line (the writers' line, the readers' line), so a producer and a consumer in two
 * JVMs do not false-share.
 *
 * <pre>
 *   0     CONTROL line (written once by the creator, before anyone else can attach)
 *         int MAGIC, int CAPACITY (data bytes, a power of two), int KIND (reserved),
 *         int MAXSIZE (a Queue's maxsize; 0 = unbounded)
 *   64    WRITE_LOCK   a robust shared {@code Lock} ({@code Lock.at}): one writer copies at a time
 *   128   READ_LOCK    the same for readers
 *   192   WRITERS line
 *         long TAIL          (putSeq &lt;&lt; 32) | tail position in 8-byte units, both mod 2^32.
 *                            Written only under WRITE_LOCK, volatile: one store publishes a whole
 *                            record and counts it, so a writer killed at any point has published
 *                            all of a record or none of it.
 *         int  DATA_SEQ      futex word readers sleep on: bumped after every publish and by a
 *                            closing writer end (so readers look for end of stream)
 *         int  DATA_WAITERS  threads of any process sleeping (or about to) on DATA_SEQ
 *   256   READERS line
 *         long HEAD          (getSeq &lt;&lt; 32) | head position in 8-byte units; under READ_LOCK
 *         int  SPACE_SEQ     futex word writers sleep on: bumped after every consume and by a
 *                            closing reader end
 *         int  SPACE_WAITERS
 *   320   JOIN line (JoinableQueue)
 *         int  UNFINISHED    items put and not yet task-done; the futex word join() sleeps on
 *         int  JOIN_WAITERS
 *   384   HOLDERS: two tables of TABLE_BYTES, table 0 (a pipe's writer end; every holder of a
 *         queue) and table 1 (a pipe's reader end). Each:
 *           +0  long SERIALIZED      handles written for another process (monotonic)
 *           +8  long DESERIALIZED    handles read back in some process (monotonic)
 *           +16 long LAST_SERIALIZED wall-clock millis of the latest serialization
 *           +24 int  OVERFLOW        holders beyond the slots (never counted dead)
 *           +64 SLOTS owner words ({@code ProcessIdentity}): 0 = free
 *   1408  DATA: CAPACITY bytes of records. A record starts at an 8-byte boundary:
 *         int length, int reserved, then length bytes of payload (wrapping at the end of the
 *         data area), padded to 8. Capacity is a power of two so positions mod 2^32 map onto it.
 * </pre>
 */
final class RingLayout {
    static final int MAGIC = 0;
    static final int CAPACITY = 4;
    static final int KIND = 8;
    static final int MAXSIZE = 12;

    static final int WRITE_LOCK = 64;
    static final int READ_LOCK = 128;

    static final int TAIL = 192;
    static final int DATA_SEQ = 200;
    static final int DATA_WAITERS = 204;

    static final int HEAD = 256;
    static final int SPACE_SEQ = 264;
    static final int SPACE_WAITERS = 268;

    static final int UNFINISHED = 320;
    static final int JOIN_WAITERS = 324;

    static final int HOLDERS = 384;
    static final int SERIALIZED = 0;
    static final int DESERIALIZED = 8;
    static final int LAST_SERIALIZED = 16;
    static final int OVERFLOW = 24;
    static final int SLOT0 = 64;
    static final int SLOTS = 56;
    static final int TABLE_BYTES = SLOT0 + 8 * SLOTS;

    static final int DATA = HOLDERS + 2 * TABLE_BYTES;

    /** Bytes before a record's payload. */
    static final int RECORD_HEADER = 8;

    /** "PYQR" in ASCII. */
    static final int MAGIC_VALUE = 0x50595152;

    private RingLayout() {}

    static {
        assert DATA % 64 == 0;
    }
}
