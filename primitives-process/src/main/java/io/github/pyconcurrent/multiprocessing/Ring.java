package io.github.pyconcurrent.multiprocessing;

import static io.github.pyconcurrent.multiprocessing.RingLayout.*;

import io.github.pyconcurrent.shared.Lock;
import io.github.pyconcurrent.shared.internal.ProcessIdentity;
import io.github.pyconcurrent.shared.SharedMemory;
import io.github.pyconcurrent.shared.internal.ShmRegistry;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mechanics under {@link Queue}, {@link SimpleQueue}, {@link JoinableQueue} and each direction
 * of a {@link Pipe}: a multi-producer multi-consumer ring of byte records in one
 * {@code SharedMemory} segment ({@link RingLayout}).
 *
 * <p>Writers copy a record past the tail under the segment's write lock and publish it with one
 * volatile store of {@code TAIL} (position and item count together); readers copy the record at
 * the head under the read lock and free it with one store of {@code HEAD}. Neither lock is held
 * while waiting. Robustness follows from the single publishing store: a writer killed mid-copy
 * never published, the next writer overwrites its bytes; a reader killed mid-copy never freed, the
 * next reader gets the same record whole; a process killed holding either lock loses it to the
 * next acquirer within an owner-check interval (the shared {@link Lock}'s takeover).
 *
 * <p>Waiting: spin on the condition as long as this JVM's {@link WaitStrategy.Site} for that side
 * says (the full spin while spinning pays there, none while the other side answers only after it),
 * then count oneself in the side's waiter word, read the side's sequence word, re-check, and sleep on the futex while the
 * sequence is unchanged, in slices of {@link QueueTuning#CHECK_NANOS}. The other side bumps the
 * sequence (a full fence) after each publish or consume and only then reads the waiter count, so
 * either it sees the sleeper and wakes it, or the sleeper sees the new sequence: no lost wake, and
 * no system call when nobody sleeps. A waiter killed asleep leaves the count high: the other side
 * then makes a futile wake call per operation, slower but correct.
 *
 * <p>Large items: one of more than a quarter of the ring travels in pieces (records of kind
 * {@link #FIRST}, {@link #MORE}..., {@link #LAST}; a small item is one {@link #WHOLE} record). The
 * writer holds the write lock from its first piece to its last, waiting for room in between; the
 * reader that takes the first piece holds the read lock until it has the last, waiting for each.
 * So a ring of a few MiB carries items of any size, never wedged: a writer that dies mid-item
 * leaves a partial item that its reader drops (it sees the writer dead, or a new item's first
 * piece from the writer that took the lock over); a reader that dies mid-item leaves pieces with
 * no first piece, which the next reader drops. Either way only that item is lost.
 *
 * <p>Holders: each JVM that holds a handle registers its owner word in a table; a pipe's reader
 * reports end of stream when the writer end's table has no live holder (and no serialized copy is
 * still on its way, see {@link Connection}).
 *
 * <p>One {@code Ring} object per segment per JVM ({@link #open}), reference-counted by the handles
 * of this JVM; the last {@link #release()} closes the segment here (the creator's also unlinks it).
 */
final class Ring {
    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    static final int WRITERS = 0;
    static final int READERS = 1;

    // A record's kind (its header's second int): a whole item, or a piece of a large one.
    static final int WHOLE = 0;
    static final int FIRST = 1;
    static final int MORE = 2;
    static final int LAST = 3;
    /** A first piece's payload starts with the item's total length (int) and its writer's owner word (long). */
    static final int FIRST_PREFIX = 12;

    static final int READY = 1;
    static final int TIMED_OUT = 0;
    static final int PEER_GONE = -1;

    /** How waiters idle before they sleep on the futex. */
    private static final WaitStrategy WAIT = WaitStrategy.DEFAULT;

    private static final ConcurrentHashMap<String, Ring> OPEN = new ConcurrentHashMap<>();
    private static final AtomicLong COUNTER = new AtomicLong();

    final SharedMemory shm;
    final ByteBuffer buf;
    private volatile Ring alsoRings;
    final int capacity;
    private final int unitMask;
    private final Lock writeLock;
    private final Lock readLock;
    /** Where this JVM's readers and writers wait: each learns whether spinning pays there. */
    private final WaitStrategy.Site dataWait = new WaitStrategy.Site(WAIT);
    private final WaitStrategy.Site spaceWait = new WaitStrategy.Site(WAIT);
    /** Handles of this JVM using this ring; guarded by {@link #OPEN}'s per-key locking. */
    private int refs;
    /** Set by {@link #abandon()}: this JVM's writers stop waiting for room (the reader is gone). */
    private volatile boolean abandoned;

    private Ring(SharedMemory shm) {
        this.shm = shm;
        this.buf = shm.buffer();
        if ((int) INT.getVolatile(buf, MAGIC) != MAGIC_VALUE) {
            throw new IllegalArgumentException("shared memory '" + shm.name() + "' is not a queue or pipe");
        }
        this.capacity = buf.getInt(CAPACITY);
        this.unitMask = capacity / 8 - 1;
        this.writeLock = Lock.at(shm, WRITE_LOCK);
        this.readLock = Lock.at(shm, READ_LOCK);
    }

    /** A new ring of {@code capacity} bytes (a power of two), owned by this JVM, with one reference. */
    static Ring create(String kind, int capacity) {
        String name = "q" + ProcessIdentity.PID + "-" + ProcessIdentity.START_TICKS + "-" + kind + "-"
                + COUNTER.incrementAndGet() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        SharedMemory shm = SharedMemory.create(name, DATA + (long) capacity);
        ByteBuffer b = shm.buffer();
        b.putInt(CAPACITY, capacity);
        INT.setVolatile(b, MAGIC, MAGIC_VALUE);
        Ring ring = new Ring(shm);
        ring.refs = 1;
        OPEN.put(name, ring);
        return ring;
    }

    /**
     * The ring named {@code name} in this JVM (attached on first use), with one more reference;
     * {@link IllegalStateException} naming the file if someone deleted it from {@code /dev/shm}.
     */
    static Ring open(String name) {
        return OPEN.compute(name, (n, r) -> {
            if (r == null) {
                try {
                    r = new Ring(SharedMemory.attach(n));
                } catch (IllegalArgumentException e) {
                    if (!Files.exists(fileOf(n))) {
                        throw gone(n, e);
                    }
                    throw e;
                }
            }
            r.refs++;
            return r;
        });
    }

    /**
     * Throws {@link IllegalStateException} if this ring's file is no longer in {@code /dev/shm}
     * (someone deleted it): called before a handle is serialized for another process, which could
     * not attach, so that the sender learns it at once (a stat, only per serialized handle).
     */
    void checkAttachable() {
        if (!Files.exists(fileOf(name()))) {
            throw gone(name(), null);
        }
    }

    private static Path fileOf(String name) {
        return ShmRegistry.DIR.resolve(ShmRegistry.SEGMENT_PREFIX + name);
    }

    private static IllegalStateException gone(String name, Throwable cause) {
        return new IllegalStateException("the shared memory file " + fileOf(name) + " of this queue or pipe is gone:"
                + " something deleted it from " + ShmRegistry.DIR + "; processes attached before keep using it, but no"
                + " other process can attach any more: give new processes a new Queue or Pipe", cause);
    }

    /** Drops one reference; the last closes the segment in this JVM (the creator's close unlinks it). */
    void release() {
        OPEN.computeIfPresent(shm.name(), (n, r) -> {
            if (r != this || --r.refs > 0) {
                return r;
            }
            shm.close();
            return null;
        });
    }

    String name() {
        return shm.name();
    }

    /**
     * Says that nobody will read this ring any more (a pool worker that died): writers of this JVM
     * waiting for room give up with {@link #PEER_GONE} at once instead of waiting for ever, and so
     * does every later write that finds no room.
     */
    void abandon() {
        abandoned = true;
        INT.getAndAdd(buf, SPACE_SEQ, 1);
        shm.futexWake(SPACE_SEQ, Integer.MAX_VALUE);
    }

    // ---------------------------------------------------------------- writing

    /**
     * Publishes {@code item} if it fits now (and the ring holds fewer than {@code maxItems} records,
     * when positive). Takes the write lock (blocking: it is only ever held for a copy, or until a
     * dead holder's lock is taken over).
     */
    boolean tryPut(byte[] item, int maxItems) {
        if (item.length > maxPieceBytes()) {
            return false;   // a large item is written in pieces, waiting for room: put()
        }
        writeLock.acquire();
        try {
            return writeLocked(item, 0, item.length, WHOLE, maxItems);
        } finally {
            writeLock.release();
        }
    }

    /**
     * Publishes one record: {@code len} bytes of {@code item} from {@code from}, of kind
     * {@code piece}, preceded for a {@link #FIRST} piece by the item's total length and the
     * writer's owner word. Only {@link #WHOLE} and {@link #FIRST} records count as items (the
     * item counter, {@code maxItems}). Under the write lock (tests hold it to write pieces by hand).
     */
    boolean writeLocked(byte[] item, int from, int len, int piece, int maxItems) {
        long tail = (long) LONG.getVolatile(buf, TAIL);
        long head = (long) LONG.getVolatile(buf, HEAD);
        int tailUnits = (int) tail;
        int used = tailUnits - (int) head;
        boolean counts = piece == WHOLE || piece == FIRST;
        if (counts && maxItems > 0 && (int) (tail >>> 32) - (int) (head >>> 32) >= maxItems) {
            return false;
        }
        int prefix = piece == FIRST ? FIRST_PREFIX : 0;
        int recordLen = prefix + len;
        int units = units(recordLen);
        if (unitMask + 1 - used < units) {
            return false;
        }
        int at = (tailUnits & unitMask) << 3;
        buf.putInt(DATA + at, recordLen);
        buf.putInt(DATA + at + 4, piece);
        int payload = (at + RECORD_HEADER) & (capacity - 1);
        if (piece == FIRST) {
            byte[] header = ByteBuffer.allocate(FIRST_PREFIX).order(ByteOrder.nativeOrder())
                    .putInt(item.length).putLong(ProcessIdentity.SELF).array();
            copyIn(header, 0, payload, FIRST_PREFIX);
            payload = (payload + prefix) & (capacity - 1);
        }
        copyIn(item, from, payload, len);
        long newTail = ((tail >>> 32) + (counts ? 1 : 0)) << 32 | ((tailUnits + units) & 0xFFFF_FFFFL);
        LONG.setVolatile(buf, TAIL, newTail);
        signal(DATA_SEQ, DATA_WAITERS);
        Ring bell = alsoRings;
        if (bell != null) {
            bell.ring();
        }
        return true;
    }

    /**
     * A doorbell this JVM rings after each record it publishes here, piece by piece: a pool
     * worker's result ring rings the pool's doorbell, on which the reader sleeps instead of on
     * this ring's own futex. Per piece, not per item: the reader must start reading a large
     * answer while it is written, or the writer waits for room for ever.
     */
    void alsoRing(Ring bell) {
        alsoRings = bell;
    }

    /** The lock readers hold while they copy (from the first piece to the last of a large item). */
    Lock readLock() {
        return readLock;
    }

    /** The lock writers hold while they copy (from the first piece to the last of a large item). */
    Lock writeLock() {
        return writeLock;
    }

    /** The largest payload written as one record; larger items travel in pieces of this size. */
    int maxPieceBytes() {
        return capacity / 4;
    }

    /**
     * Writes a large item in pieces, holding the write lock throughout so that its pieces are
     * consecutive: the first waits for room up to {@code timeoutNanos}, the rest for as long as
     * readers make room (an item once started is finished: an interrupt meanwhile is kept for
     * later, a time-out does not apply). Returns as {@link #put}.
     */
    private int putPieces(byte[] item, int maxItems, long timeoutNanos, int peerTable) {
        writeLock.acquire();
        boolean interrupted = false;
        try {
            int piece = maxPieceBytes() - FIRST_PREFIX;
            int r = awaitWritten(item, 0, piece, FIRST, maxItems, timeoutNanos, peerTable);
            if (r != READY) {
                return r;
            }
            for (int from = piece; from < item.length; from += piece) {
                int len = Math.min(piece, item.length - from);
                int kind = from + len == item.length ? LAST : MORE;
                while (true) {
                    try {
                        r = awaitWritten(item, from, len, kind, 0, -1, peerTable);
                        break;
                    } catch (UncheckedInterruptedException e) {
                        interrupted = true;
                        Thread.interrupted();
                    }
                }
                if (r != READY) {
                    return r;   // every reader is gone: nobody will read the rest
                }
            }
            return READY;
        } finally {
            writeLock.release();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Writes one record under the held write lock, waiting for room as {@link #put} does. */
    private int awaitWritten(byte[] item, int from, int len, int piece, int maxItems, long timeoutNanos, int peerTable) {
        if (writeLocked(item, from, len, piece, maxItems)) {
            return READY;
        }
        if (timeoutNanos == 0) {
            return TIMED_OUT;
        }
        long start = System.nanoTime();
        long spin = spaceWait.spinNanos();
        while (spaceWait.idle(start, timeoutNanos, spin)) {
            if (writeLocked(item, from, len, piece, maxItems)) {
                spaceWait.ended(start, spin);
                return READY;
            }
        }
        spaceWait.parks();
        return parkForRoom(() -> writeLocked(item, from, len, piece, maxItems), start, timeoutNanos, peerTable);
    }

    /**
     * Puts {@code item}, waiting for room up to {@code timeoutNanos} (negative: forever). Returns
     * {@link #READY}, {@link #TIMED_OUT}, or {@link #PEER_GONE} when {@code peerTable} (a holder
     * table, or -1) has no live holder left: nobody will ever make room.
     */
    int put(byte[] item, int maxItems, long timeoutNanos, int peerTable) {
        if (item.length > maxPieceBytes()) {
            return putPieces(item, maxItems, timeoutNanos, peerTable);
        }
        if (tryPut(item, maxItems)) {
            return READY;
        }
        if (timeoutNanos == 0) {
            return TIMED_OUT;
        }
        long start = System.nanoTime();
        long spin = spaceWait.spinNanos();
        while (spaceWait.idle(start, timeoutNanos, spin)) {
            if (hasRoom(item.length, maxItems) && tryPut(item, maxItems)) {
                spaceWait.ended(start, spin);
                return READY;
            }
        }
        spaceWait.parks();
        return parkForRoom(() -> tryPut(item, maxItems), start, timeoutNanos, peerTable);
    }

    /**
     * The writers' last waiting stage, after the {@link WaitStrategy}'s spins: sleep on the
     * space futex (counted in {@code SPACE_WAITERS}, so readers wake only a sleeper) until
     * {@code write} succeeds, the time is up, or no reader in {@code peerTable} is alive.
     */
    private int parkForRoom(java.util.function.BooleanSupplier write, long start, long timeoutNanos, int peerTable) {
        INT.getAndAdd(buf, SPACE_WAITERS, 1);
        try {
            boolean checkLiveness = false;
            while (true) {
                int seq = (int) INT.getVolatile(buf, SPACE_SEQ);
                if (write.getAsBoolean()) {
                    return READY;
                }
                if (abandoned || (peerTable >= 0 && !anyHolder(peerTable, checkLiveness, 0))) {
                    return PEER_GONE;
                }
                long slice = nextSlice(start, timeoutNanos);
                if (slice == 0) {
                    return TIMED_OUT;
                }
                checkLiveness = !shm.futexWait(SPACE_SEQ, seq, slice);
            }
        } finally {
            INT.getAndAdd(buf, SPACE_WAITERS, -1);
        }
    }

    private boolean hasRoom(int len, int maxItems) {
        long tail = (long) LONG.getVolatile(buf, TAIL);
        long head = (long) LONG.getVolatile(buf, HEAD);
        return (maxItems <= 0 || (int) (tail >>> 32) - (int) (head >>> 32) < maxItems)
                && unitMask + 1 - ((int) tail - (int) head) >= units(len);
    }

    // ---------------------------------------------------------------- reading

    /** The record at the head, removed, or null if the ring is empty now. */
    byte[] tryTake() {
        if (isEmpty()) {
            return null;
        }
        readLock.acquire();
        try {
            return readLocked();
        } finally {
            readLock.release();
        }
    }

    /**
     * The item at the head, or null if there is none. A large item's pieces are gathered here,
     * holding the read lock, waiting for the writer's next piece. What a dead participant left
     * half done is skipped: pieces with no first piece before them (their reader died after
     * taking the first), and a gathered part whose writer died or gave up (then the next record,
     * if any, is read instead).
     */
    private byte[] readLocked() {
        while (true) {
            int piece = headPiece();
            if (piece < 0) {
                return null;
            }
            int len = headLength();
            int payload = headPayload();
            if (piece == WHOLE) {
                byte[] item = new byte[len];
                copyOut(payload, item, 0, len);
                freeHead(true);
                return item;
            }
            if (piece != FIRST) {
                freeHead(false);   // the rest of an item whose reader died
                continue;
            }
            if (len < FIRST_PREFIX) {
                throw corrupt("a first piece of " + len + " bytes");
            }
            byte[] header = new byte[FIRST_PREFIX];
            copyOut(payload, header, 0, FIRST_PREFIX);
            ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.nativeOrder());
            int total = h.getInt();
            long writer = h.getLong();
            int part = len - FIRST_PREFIX;
            if (part < 0 || total < part) {
                throw corrupt("an item of " + total + " bytes with a first piece of " + part);
            }
            byte[] item = new byte[total];
            copyOut((payload + FIRST_PREFIX) & (capacity - 1), item, 0, part);
            freeHead(true);
            if (gather(item, part, writer)) {
                return item;
            }
        }
    }

    /**
     * Reads the pieces after the first into {@code item} (filled up to {@code filled}); false if
     * its writer died or gave up before the last piece.
     */
    private boolean gather(byte[] item, int filled, long writer) {
        while (true) {
            int piece = headPiece();
            if (piece == MORE || piece == LAST) {
                int len = headLength();
                if (filled + len > item.length || (piece == LAST && filled + len != item.length)) {
                    throw corrupt("a piece of " + len + " bytes at " + filled + " of an item of " + item.length);
                }
                copyOut(headPayload(), item, filled, len);
                filled += len;
                freeHead(false);
                if (piece == LAST) {
                    return true;
                }
                continue;
            }
            if (piece >= 0) {
                return false;   // a new item: its writer took the lock over from ours, which died
            }
            // Wait for the next piece: the writer holds the write lock until its last one.
            INT.getAndAdd(buf, DATA_WAITERS, 1);
            try {
                int seq = (int) INT.getVolatile(buf, DATA_SEQ);
                if (isEmpty()) {
                    if (!writeLock.locked() || !ProcessIdentity.isAlive(writer)) {
                        if (isEmpty()) {
                            return false;
                        }
                        continue;
                    }
                    shm.futexWait(DATA_SEQ, seq, QueueTuning.CHECK_NANOS);
                }
            } finally {
                INT.getAndAdd(buf, DATA_WAITERS, -1);
            }
        }
    }

    /** The kind of the record at the head, or -1 if the ring is empty. */
    private int headPiece() {
        long head = (long) LONG.getVolatile(buf, HEAD);
        long tail = (long) LONG.getVolatile(buf, TAIL);
        if ((int) tail == (int) head) {
            return -1;
        }
        return buf.getInt(DATA + (((int) head & unitMask) << 3) + 4);
    }

    /** The payload length of the (published) record at the head, checked against what is published. */
    private int headLength() {
        long head = (long) LONG.getVolatile(buf, HEAD);
        long tail = (long) LONG.getVolatile(buf, TAIL);
        int len = buf.getInt(DATA + (((int) head & unitMask) << 3));
        if (len < 0 || units(len) > (int) tail - (int) head) {
            throw corrupt("a record of length " + len);
        }
        return len;
    }

    /** Where the head record's payload starts in the data area. */
    private int headPayload() {
        long head = (long) LONG.getVolatile(buf, HEAD);
        return ((((int) head & unitMask) << 3) + RECORD_HEADER) & (capacity - 1);
    }

    /** Frees the record at the head ({@code counts}: it is a whole item or a first piece) and wakes writers. */
    private void freeHead(boolean counts) {
        long head = (long) LONG.getVolatile(buf, HEAD);
        int headUnits = (int) head;
        int units = units(buf.getInt(DATA + ((headUnits & unitMask) << 3)));
        long newHead = ((head >>> 32) + (counts ? 1 : 0)) << 32 | ((headUnits + units) & 0xFFFF_FFFFL);
        LONG.setVolatile(buf, HEAD, newHead);
        signal(SPACE_SEQ, SPACE_WAITERS);
    }

    private IllegalStateException corrupt(String what) {
        return new IllegalStateException("corrupt data in shared ring " + shm.name() + ": " + what);
    }

    /** Copies {@code len} bytes of {@code src} from {@code from} to {@code payload} in the data area, wrapping at its end. */
    private void copyIn(byte[] src, int from, int payload, int len) {
        int first = Math.min(len, capacity - payload);
        buf.put(DATA + payload, src, from, first);
        if (first < len) {
            buf.put(DATA, src, from + first, len - first);
        }
    }

    /** Copies {@code len} bytes at {@code payload} in the data area, wrapping at its end, into {@code dst} at {@code at}. */
    private void copyOut(int payload, byte[] dst, int at, int len) {
        int first = Math.min(len, capacity - payload);
        buf.get(DATA + payload, dst, at, first);
        if (first < len) {
            buf.get(DATA, dst, at + first, len - first);
        }
    }

    /**
     * Waits up to {@code timeoutNanos} (negative: forever) until a record is there (then returns
     * {@link #READY}, without taking it), or {@code peerTable} has no live holder and no copy in
     * flight ({@link #PEER_GONE}), or the time is up ({@link #TIMED_OUT}). Data wins over end of
     * stream.
     */
    int awaitData(long timeoutNanos, int peerTable) {
        if (!isEmpty()) {
            return READY;
        }
        if (timeoutNanos == 0) {
            return peerTable >= 0 && !anyHolder(peerTable, false, 0) && isEmpty() ? PEER_GONE : TIMED_OUT;
        }
        long start = System.nanoTime();
        long spin = dataWait.spinNanos();
        while (dataWait.idle(start, timeoutNanos, spin)) {
            if (!isEmpty()) {
                dataWait.ended(start, spin);
                return READY;
            }
        }
        dataWait.parks();
        INT.getAndAdd(buf, DATA_WAITERS, 1);
        try {
            boolean checkLiveness = false;
            while (true) {
                int seq = (int) INT.getVolatile(buf, DATA_SEQ);
                if (!isEmpty()) {
                    return READY;
                }
                if (peerTable >= 0 && !anyHolder(peerTable, checkLiveness, 0)) {
                    // A last record may have been published just before the holder left.
                    return isEmpty() ? PEER_GONE : READY;
                }
                long slice = nextSlice(start, timeoutNanos);
                if (slice == 0) {
                    return TIMED_OUT;
                }
                checkLiveness = !shm.futexWait(DATA_SEQ, seq, slice);
            }
        } finally {
            INT.getAndAdd(buf, DATA_WAITERS, -1);
        }
    }

    /**
     * Takes a record, waiting up to {@code timeoutNanos}; null on timeout. Throws
     * {@link PeerGone} when the ring is empty and {@code peerTable} has no live holder.
     */
    byte[] take(long timeoutNanos, int peerTable) {
        byte[] item = tryTake();
        if (item != null) {
            return item;
        }
        long start = System.nanoTime();
        while (true) {
            long left = timeoutNanos < 0 ? -1 : Math.max(0, timeoutNanos - (System.nanoTime() - start));
            int r = awaitData(left, peerTable);
            if (r == PEER_GONE) {
                throw PeerGone.INSTANCE;
            }
            // Another reader may take the record first: then wait again (timeouts from the start).
            item = tryTake();
            if (item != null || r == TIMED_OUT) {
                return item;
            }
        }
    }

    boolean isEmpty() {
        return (int) (long) LONG.getVolatile(buf, TAIL) == (int) (long) LONG.getVolatile(buf, HEAD);
    }

    /** Records published and not yet taken. */
    int count() {
        long head = (long) LONG.getVolatile(buf, HEAD);
        long tail = (long) LONG.getVolatile(buf, TAIL);
        return Math.max(0, (int) (tail >>> 32) - (int) (head >>> 32));
    }

    /**
     * Uses this ring as a doorbell (a pool's "results ready" word, {@link ResultHandler}): bumps
     * its data sequence and wakes the sleeper of {@link #awaitRing}, with a system call only when
     * one sleeps. Call it after publishing what the sleeper looks for.
     */
    void ring() {
        signal(DATA_SEQ, DATA_WAITERS);
    }

    /**
     * Sleeps up to {@code nanos} until {@link #ring()} is called, unless {@code ready} (the
     * sleeper's own condition, checked after it counted itself in) already holds: the same
     * no-lost-wake protocol as {@link #awaitData}.
     */
    void awaitRing(java.util.function.BooleanSupplier ready, long nanos) {
        INT.getAndAdd(buf, DATA_WAITERS, 1);
        try {
            int seq = (int) INT.getVolatile(buf, DATA_SEQ);
            if (!ready.getAsBoolean()) {
                shm.futexWait(DATA_SEQ, seq, nanos);
            }
        } finally {
            INT.getAndAdd(buf, DATA_WAITERS, -1);
        }
    }

    /** Bumps a side's sequence word (a full fence) and wakes its sleepers if there are any. */
    void signal(int seq, int waiters) {
        INT.getAndAdd(buf, seq, 1);
        if ((int) INT.getVolatile(buf, waiters) != 0) {
            shm.futexWake(seq, Integer.MAX_VALUE);
        }
    }

    static int units(int len) {
        return (RECORD_HEADER + len + 7) >>> 3;
    }

    static long nextSlice(long start, long timeoutNanos) {
        if (Thread.interrupted()) {
            throw UncheckedInterruptedException.restore(new InterruptedException());
        }
        if (timeoutNanos < 0) {
            return QueueTuning.CHECK_NANOS;
        }
        long left = timeoutNanos - (System.nanoTime() - start);
        return left <= 0 ? 0 : Math.min(QueueTuning.CHECK_NANOS, left);
    }

    // ---------------------------------------------------------------- holders

    private static int table(int t) {
        return HOLDERS + t * TABLE_BYTES;
    }

    /** Registers this JVM as a holder in table {@code t}; returns its slot, or -1 (counted in OVERFLOW). */
    int register(int t) {
        int base = table(t);
        for (int i = 0; i < SLOTS; i++) {
            if (LONG.compareAndSet(buf, base + SLOT0 + 8 * i, 0L, ProcessIdentity.SELF)) {
                return i;
            }
        }
        for (int i = 0; i < SLOTS; i++) {
            long w = (long) LONG.getVolatile(buf, base + SLOT0 + 8 * i);
            if (w != 0 && !ProcessIdentity.isAlive(w) && LONG.compareAndSet(buf, base + SLOT0 + 8 * i, w, ProcessIdentity.SELF)) {
                return i;
            }
        }
        INT.getAndAdd(buf, base + OVERFLOW, 1);
        return -1;
    }

    /** Undoes {@link #register}. */
    void unregister(int t, int slot) {
        int base = table(t);
        if (slot < 0) {
            INT.getAndAdd(buf, base + OVERFLOW, -1);
        } else {
            LONG.compareAndSet(buf, base + SLOT0 + 8 * slot, ProcessIdentity.SELF, 0L);
        }
    }

    /** Counts a handle written for another process (see {@link Connection}'s in-flight rule). */
    void serialized(int t) {
        int base = table(t);
        LONG.setVolatile(buf, base + LAST_SERIALIZED, System.currentTimeMillis());
        LONG.getAndAdd(buf, base + SERIALIZED, 1L);
    }

    void deserialized(int t) {
        LONG.getAndAdd(buf, table(t) + DESERIALIZED, 1L);
    }

    /**
     * Whether table {@code t} has a holder other than {@code exclude} (an owner word, or 0): a
     * registered slot (with {@code checkLiveness}, only a live one; dead ones are cleared), an
     * overflow holder, or a serialized copy not yet read back within the hand-off grace.
     */
    boolean anyHolder(int t, boolean checkLiveness, long exclude) {
        int base = table(t);
        if ((int) INT.getVolatile(buf, base + OVERFLOW) > 0) {
            return true;
        }
        long inFlight = (long) LONG.getVolatile(buf, base + SERIALIZED) - (long) LONG.getVolatile(buf, base + DESERIALIZED);
        if (inFlight > 0 && System.currentTimeMillis() - (long) LONG.getVolatile(buf, base + LAST_SERIALIZED)
                < QueueTuning.HANDOFF_MILLIS) {
            return true;
        }
        boolean any = false;
        for (int i = 0; i < SLOTS; i++) {
            int at = base + SLOT0 + 8 * i;
            long w = (long) LONG.getVolatile(buf, at);
            if (w == 0 || w == exclude) {
                continue;
            }
            if (!checkLiveness || ProcessIdentity.isAlive(w)) {
                any = true;
                if (!checkLiveness) {
                    return true;
                }
            } else {
                LONG.compareAndSet(buf, at, w, 0L);
            }
        }
        return any;
    }

    // ---------------------------------------------------------------- join (JoinableQueue)

    void addUnfinished(int delta) {
        INT.getAndAdd(buf, UNFINISHED, delta);
    }

    /** One task done; false (and nothing changed) if none was unfinished. */
    boolean taskDone() {
        int v;
        do {
            v = (int) INT.getVolatile(buf, UNFINISHED);
            if (v <= 0) {
                return false;
            }
        } while (!INT.compareAndSet(buf, UNFINISHED, v, v - 1));
        if (v == 1 && (int) INT.getVolatile(buf, JOIN_WAITERS) != 0) {
            shm.futexWake(UNFINISHED, Integer.MAX_VALUE);
        }
        return true;
    }

    /** Waits until no task is unfinished. */
    void join() {
        if ((int) INT.getVolatile(buf, UNFINISHED) == 0) {
            return;
        }
        long start = System.nanoTime();
        INT.getAndAdd(buf, JOIN_WAITERS, 1);
        try {
            while (true) {
                int v = (int) INT.getVolatile(buf, UNFINISHED);
                if (v == 0) {
                    return;
                }
                shm.futexWait(UNFINISHED, v, nextSlice(start, -1));
            }
        } finally {
            INT.getAndAdd(buf, JOIN_WAITERS, -1);
        }
    }

    /** Thrown by {@link #take} at end of stream; a stackless singleton, callers translate it. */
    static final class PeerGone extends RuntimeException {
        static final PeerGone INSTANCE = new PeerGone();

        private PeerGone() {
            super("peer gone", null, false, false);
        }
    }
}
