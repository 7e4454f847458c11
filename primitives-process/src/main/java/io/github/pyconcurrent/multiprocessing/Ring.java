package io.github.pyconcurrent.multiprocessing;

import static io.github.pyconcurrent.multiprocessing.RingLayout.*;

import io.github.pyconcurrent.shared.Lock;
import io.github.pyconcurrent.shared.ProcessIdentity;
import io.github.pyconcurrent.shared.SharedMemory;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * <p>Waiting: idle on the condition as the {@link WaitStrategy} says (spin, yield), then count oneself in the
 * side's waiter word, read the side's sequence word, re-check, and sleep on the futex while the
 * sequence is unchanged, in slices of {@link QueueTuning#CHECK_NANOS}. The other side bumps the
 * sequence (a full fence) after each publish or consume and only then reads the waiter count, so
 * either it sees the sleeper and wakes it, or the sleeper sees the new sequence: no lost wake, and
 * no system call when nobody sleeps. A waiter killed asleep leaves the count high: the other side
 * then makes a futile wake call per operation, slower but correct.
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

    static final int READY = 1;
    static final int TIMED_OUT = 0;
    static final int PEER_GONE = -1;

    /** How waiters idle before they sleep on the futex. */
    private static final WaitStrategy WAIT = WaitStrategy.DEFAULT;

    private static final ConcurrentHashMap<String, Ring> OPEN = new ConcurrentHashMap<>();
    private static final AtomicLong COUNTER = new AtomicLong();

    final SharedMemory shm;
    final ByteBuffer buf;
    final int capacity;
    private final int unitMask;
    private final Lock writeLock;
    private final Lock readLock;
    /** Handles of this JVM using this ring; guarded by {@link #OPEN}'s per-key locking. */
    private int refs;

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

    /** The ring named {@code name} in this JVM (attached on first use), with one more reference. */
    static Ring open(String name) {
        return OPEN.compute(name, (n, r) -> {
            if (r == null) {
                r = new Ring(SharedMemory.attach(n));
            }
            r.refs++;
            return r;
        });
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

    /** The largest payload a record can carry. */
    int maxItemBytes() {
        return capacity - RECORD_HEADER;
    }

    // ---------------------------------------------------------------- writing

    /**
     * Publishes {@code item} if it fits now (and the ring holds fewer than {@code maxItems} records,
     * when positive). Takes the write lock (blocking: it is only ever held for a copy, or until a
     * dead holder's lock is taken over).
     */
    boolean tryPut(byte[] item, int maxItems) {
        writeLock.acquire();
        try {
            return writeLocked(item, maxItems);
        } finally {
            writeLock.release();
        }
    }

    private boolean writeLocked(byte[] item, int maxItems) {
        long tail = (long) LONG.getVolatile(buf, TAIL);
        long head = (long) LONG.getVolatile(buf, HEAD);
        int tailUnits = (int) tail;
        int used = tailUnits - (int) head;
        if (maxItems > 0 && (int) (tail >>> 32) - (int) (head >>> 32) >= maxItems) {
            return false;
        }
        int len = item.length;
        int units = units(len);
        if (unitMask + 1 - used < units) {
            return false;
        }
        int at = (tailUnits & unitMask) << 3;
        buf.putInt(DATA + at, len);
        buf.putInt(DATA + at + 4, 0);
        int payload = (at + RECORD_HEADER) & (capacity - 1);
        int first = Math.min(len, capacity - payload);
        buf.put(DATA + payload, item, 0, first);
        if (first < len) {
            buf.put(DATA, item, first, len - first);
        }
        long newTail = ((tail >>> 32) + 1) << 32 | ((tailUnits + units) & 0xFFFF_FFFFL);
        LONG.setVolatile(buf, TAIL, newTail);
        signal(DATA_SEQ, DATA_WAITERS);
        return true;
    }

    /**
     * Puts {@code item}, waiting for room up to {@code timeoutNanos} (negative: forever). Returns
     * {@link #READY}, {@link #TIMED_OUT}, or {@link #PEER_GONE} when {@code peerTable} (a holder
     * table, or -1) has no live holder left: nobody will ever make room.
     */
    int put(byte[] item, int maxItems, long timeoutNanos, int peerTable) {
        if (tryPut(item, maxItems)) {
            return READY;
        }
        if (timeoutNanos == 0) {
            return TIMED_OUT;
        }
        long start = System.nanoTime();
        while (WAIT.idle(start, timeoutNanos)) {
            if (hasRoom(item.length, maxItems) && tryPut(item, maxItems)) {
                return READY;
            }
        }
        INT.getAndAdd(buf, SPACE_WAITERS, 1);
        try {
            boolean checkLiveness = false;
            while (true) {
                int seq = (int) INT.getVolatile(buf, SPACE_SEQ);
                if (tryPut(item, maxItems)) {
                    return READY;
                }
                if (peerTable >= 0 && !anyHolder(peerTable, checkLiveness, 0)) {
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

    private byte[] readLocked() {
        long head = (long) LONG.getVolatile(buf, HEAD);
        long tail = (long) LONG.getVolatile(buf, TAIL);
        int headUnits = (int) head;
        int used = (int) tail - headUnits;
        if (used == 0) {
            return null;
        }
        int at = (headUnits & unitMask) << 3;
        int len = buf.getInt(DATA + at);
        int units = units(len);
        if (len < 0 || units > used) {
            throw new IllegalStateException("corrupt record (length " + len + ") in shared ring " + shm.name());
        }
        byte[] item = new byte[len];
        int payload = (at + RECORD_HEADER) & (capacity - 1);
        int first = Math.min(len, capacity - payload);
        buf.get(DATA + payload, item, 0, first);
        if (first < len) {
            buf.get(DATA, item, first, len - first);
        }
        long newHead = ((head >>> 32) + 1) << 32 | ((headUnits + units) & 0xFFFF_FFFFL);
        LONG.setVolatile(buf, HEAD, newHead);
        signal(SPACE_SEQ, SPACE_WAITERS);
        return item;
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
        while (WAIT.idle(start, timeoutNanos)) {
            if (!isEmpty()) {
                return READY;
            }
        }
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
