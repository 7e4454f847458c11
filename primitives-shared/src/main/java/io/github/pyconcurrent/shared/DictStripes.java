package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.shared.internal.ProcessIdentity;
import io.github.pyconcurrent.shared.internal.SharedMemoryLayout;
import io.github.pyconcurrent.shared.internal.ShmRegistry;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.bytes.PointerBytesStore;
import net.openhft.chronicle.hash.ChronicleHashCorruption;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleHashCorruptionImpl;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import net.openhft.chronicle.map.VanillaChronicleMap;
import net.openhft.chronicle.map.impl.CompiledMapIterationContext;

/**
 * What makes a {@link SharedDict} heal by itself when a process dies in the middle of an
 * operation: one robust lock ({@link RobustMutex}, owner = pid + start time) per Chronicle Map
 * segment, taken around every operation on that segment, and a one-record redo journal per
 * segment, written before every mutation. Layout: {@link DictStripeLayout}.
 *
 * <h2>Why not Chronicle's own segment locks</h2>
 * Chronicle's segment lock word is a read count, an update bit, a write bit and a wait count:
 * it does not say who holds it, so a survivor that times out on it cannot tell a dead holder
 * from a slow one, nor how much of the count a dead process owns (recording holdings on the side,
 * as Linux's robust-futex list does, leaves a window between the lock's CAS and the record in
 * which a dead process's share is unknowable; the kernel closes it with the owner's TID in the
 * lock word, which Chronicle's format has no room for). Chronicle's answer is
 * {@code recoverPersistedTo}, which needs every other process to stop. So every process takes
 * the stripe first; then it is the only one touching that segment, Chronicle's lock on it is
 * always free (one uncontended CAS), and a dead stripe holder's Chronicle lock state and half-done
 * writes are its alone, which the process that takes the stripe over can undo without asking
 * anyone. A get does not take Chronicle's lock at all ({@link ChronicleLookup}): the stripe
 * already excludes every writer, so a reader is one CAS and one swap, as Chronicle's own read
 * lock would be, and a killed reader leaves nothing in Chronicle's lock word.
 *
 * <p>Invariant the lock-free get relies on: nothing reads or writes a segment's entries without
 * holding its stripe (every SharedDict operation, iteration and {@link #heal} do;
 * {@link SharedDict#recover()} requires that no other process use the dict).
 *
 * <h2>The protocol</h2>
 * <ol>
 *   <li>{@link #acquire}: the stripe's RobustMutex. A waiter that has slept one owner-check slice
 *       ({@link SharedTuning#OWNER_CHECK_NANOS}) on a holder that is dead by
 *       {@link ProcessIdentity} (gone, zombie, or pid reused) takes the stripe over with a CAS
 *       and logs one WARNING naming the dead pid. A live holder is never taken over; after the
 *       dict's lock timeout the waiter fails with {@link DictLockTimeoutException}.</li>
 *   <li>A mutation journals first ({@link #journalPut}, {@link #journalRemove}): the key and the
 *       new value, as Chronicle serializes them, then STATE (release store) = the operation. Then
 *       it writes Chronicle's segment, then STATE = IDLE ({@link #journalDone}).</li>
 *   <li>{@link #heal}, by whoever acquires the stripe and finds it taken over or its STATE not
 *       IDLE: reset the segment's Chronicle lock word (only the dead holder could have held it);
 *       if a write was in progress, set REPAIRING, rebuild the segment's hash lookup, free list
 *       and counters from its entries (Chronicle's own per-tier recovery, run on this one
 *       segment), which drops an entry whose checksum a torn write broke, then redo the journaled
 *       write, so the entry holds the new value (the dead writer's operation took effect); then
 *       STATE = IDLE. Each step is idempotent: a healer that dies too leaves REPAIRING for the
 *       next one.</li>
 * </ol>
 * A write too large for the journal ({@link DictStripeLayout#UNJOURNALED}) is repaired but not
 * redone: its entry keeps the old or new value, or, if the dead writer tore it in place, is
 * dropped. The journal holds 16 times the dict's average entry size, at least 4 KiB.
 *
 * <p>Not covered: a process that dies while Chronicle allocates an extra segment tier (a segment
 * overflowing its capacity) holding the map-wide tier lock; further tier allocations then fail
 * and {@link SharedDict#recover()} repairs the file.
 */
final class DictStripes {
    private static final System.Logger LOG = System.getLogger("io.github.pyconcurrent.shared");

    /** {@link #acquire}: the stripe is held and the segment consistent. */
    static final int CLEAN = 0;
    /** {@link #acquire}: the stripe is held; call {@link #heal} before touching the segment. */
    static final int NEEDS_HEAL = 1;

    private static final int MIN_JOURNAL = 4096;

    private final SharedMemory shm;
    private final ByteBuffer buf;
    private final int stripes;
    private final int journalCapacity;
    private final RobustMutex[] mutexes;
    /** The whole mapping as Chronicle bytes, for journal copies and redo; offsets = buf's. */
    private final PointerBytesStore bytes = new PointerBytesStore();
    private final long timeoutNanos = TimeUnit.SECONDS.toNanos(ChronicleSupport.lockTimeoutSeconds());
    private final String dictPath;

    private DictStripes(SharedMemory shm, String dictPath) {
        this.shm = shm;
        this.buf = shm.whole();
        this.dictPath = dictPath;
        int header = SharedMemoryLayout.HEADER_SIZE;
        this.stripes = buf.getInt(header + DictStripeLayout.STRIPES);
        this.journalCapacity = buf.getInt(header + DictStripeLayout.JOURNAL_CAPACITY);
        this.mutexes = new RobustMutex[stripes];
        for (int i = 0; i < stripes; i++) {
            mutexes[i] = new RobustMutex(shm, DictStripeLayout.stripeBase(i, journalCapacity),
                    "segment " + i + " of SharedDict " + dictPath,
                    "repairing the segment and completing the write it was making");
        }
        bytes.set(shm.address(), buf.capacity());
    }

    /** Creates the stripes of a new dict whose Chronicle map is {@code map}, in a new segment owned by this JVM. */
    static DictStripes create(ChronicleMap<?, ?> map, DictOptions options, String dictPath) {
        int stripes = map.segments();
        VanillaChronicleMap<?, ?, ?> vm = (VanillaChronicleMap<?, ?, ?>) map;
        long maxEntry = vm.chunkSize * (long) vm.maxChunksPerEntry;
        long wanted = Math.max(MIN_JOURNAL, (long) (16 * (options.averageKeySize() + options.averageValueSize())));
        int capacity = (int) Math.min(Math.min(wanted, Math.max(maxEntry, 64)), 1L << 20);
        capacity = (capacity + 63) & ~63;
        SharedMemory shm = SharedMemory.create(ShmRegistry.newSegmentName("dictlocks"),
                DictStripeLayout.size(stripes, capacity));
        ByteBuffer b = shm.whole();
        b.putInt(SharedMemoryLayout.HEADER_SIZE + DictStripeLayout.STRIPES, stripes);
        b.putInt(SharedMemoryLayout.HEADER_SIZE + DictStripeLayout.JOURNAL_CAPACITY, capacity);
        return new DictStripes(shm, dictPath);
    }

    /** Attaches to the stripes of an existing dict. */
    static DictStripes attach(String name, ChronicleMap<?, ?> map, String dictPath) {
        DictStripes s = new DictStripes(SharedMemory.open(name), dictPath);
        if (s.stripes != map.segments()) {
            throw new IllegalStateException("SharedDict " + dictPath + ": its lock segment " + name + " has "
                    + s.stripes + " stripes for " + map.segments() + " Chronicle segments");
        }
        return s;
    }

    String name() {
        return shm.name();
    }

    Path path() {
        return shm.path();
    }

    int stripes() {
        return stripes;
    }

    private int base(int stripe) {
        return DictStripeLayout.stripeBase(stripe, journalCapacity);
    }

    private long state(int stripe) {
        return (long) Words.LONG.getAcquire(buf, base(stripe) + DictStripeLayout.STATE);
    }

    private void setState(int stripe, long state) {
        Words.LONG.setRelease(buf, base(stripe) + DictStripeLayout.STATE, state);
    }

    /**
     * Takes stripe {@code stripe}; returns {@link #CLEAN}, or {@link #NEEDS_HEAL} when its last
     * holder died in it (or a repair did not finish): the caller then runs {@link #heal} before
     * anything else touches the segment (and with no Chronicle context of this thread open).
     *
     * @throws DictLockTimeoutException if a live process has held it for the dict's lock timeout
     */
    int acquire(int stripe) {
        RobustMutex m = mutexes[stripe];
        int r = m.acquire(timeoutNanos);
        if (r == RobustMutex.ACQUIRED) {
            // plain-enough read: the acquiring CAS ordered it after the previous holder's writes
            return state(stripe) == DictStripeLayout.IDLE ? CLEAN : NEEDS_HEAL;
        }
        if (r == RobustMutex.TOOK_OVER) {
            return NEEDS_HEAL;
        }
        long holder = m.holder();
        throw new DictLockTimeoutException("segment " + stripe + " of SharedDict " + dictPath + " was not released within "
                + ChronicleSupport.lockTimeoutSeconds() + " s by its holder"
                + (holder == 0 ? "" : ", " + ProcessIdentity.describe(holder) + ", which is alive")
                + ": an operation (a compute or merge function?) is taking that long (the timeout is the system property "
                + ChronicleSupport.LOCK_TIMEOUT_PROPERTY + ")", null);
    }

    /** Releases a stripe taken by {@link #acquire}. */
    void release(int stripe) {
        mutexes[stripe].release();
    }

    /**
     * Journals a put of {@code value} under {@code key} on a held stripe, before the write; when
     * they do not fit the journal, marks the write {@link DictStripeLayout#UNJOURNALED} instead.
     */
    void journalPut(int stripe, Data<?> key, Data<?> value) {
        long keySize = key.size();
        long valueSize = value.size();
        int base = base(stripe);
        if (keySize + valueSize > journalCapacity) {
            setState(stripe, DictStripeLayout.UNJOURNALED);
            return;
        }
        key.writeTo(bytes, base + DictStripeLayout.JOURNAL);
        value.writeTo(bytes, base + DictStripeLayout.JOURNAL + keySize);
        buf.putInt(base + DictStripeLayout.KEY_SIZE, (int) keySize);
        buf.putInt(base + DictStripeLayout.VALUE_SIZE, (int) valueSize);
        setState(stripe, DictStripeLayout.PUT);
    }

    /** Journals a removal of {@code key} on a held stripe, before the write. */
    void journalRemove(int stripe, Data<?> key) {
        long keySize = key.size();
        int base = base(stripe);
        if (keySize > journalCapacity) {
            setState(stripe, DictStripeLayout.UNJOURNALED);
            return;
        }
        key.writeTo(bytes, base + DictStripeLayout.JOURNAL);
        buf.putInt(base + DictStripeLayout.KEY_SIZE, (int) keySize);
        setState(stripe, DictStripeLayout.REMOVE);
    }

    /** The journaled write is done (or failed without effect): nothing to redo. */
    void journalDone(int stripe) {
        setState(stripe, DictStripeLayout.IDLE);
    }

    /**
     * Makes segment {@code stripe} consistent after its holder died (see the class comment); the
     * caller holds the stripe (from {@link #acquire} returning {@link #NEEDS_HEAL}) and has no
     * Chronicle context open in this thread.
     */
    <K, V> void heal(int stripe, ChronicleMap<K, V> map) {
        long state = state(stripe);
        long op = state & DictStripeLayout.OP_MASK;
        VanillaChronicleMap<K, V, ?> vm = (VanillaChronicleMap<K, V, ?>) map;
        int[] corruptions = {0};
        ChronicleHashCorruption.Listener listener = c -> {
            corruptions[0]++;
            LOG.log(Level.DEBUG, () -> "SharedDict " + dictPath + " segment " + stripe + ": " + c.message());
        };
        ChronicleHashCorruptionImpl corruption = new ChronicleHashCorruptionImpl();
        try (CompiledMapIterationContext<K, V, ?> ic = (CompiledMapIterationContext<K, V, ?>) vm.iterationContext()) {
            ic.initSegmentIndex(stripe);
            // Only a stripe holder touches this lock word, and the only other holder is dead.
            ic.segmentHeader().resetLock(ic.segmentHeaderAddress());
            if (op == DictStripeLayout.IDLE) {
                return;   // it died between writes, or holding a read: the lock was all there was
            }
            setState(stripe, state | DictStripeLayout.REPAIRING);
            // Chronicle's recovery of one segment, tier by tier: rebuilds the hash lookup from the
            // entries it can verify (a torn entry fails its checksum and goes), then the free list,
            // then the entry counts and duplicates.
            while (true) {
                ic.recoverTier(stripe, listener, corruption);
                if (!ic.hasNextTier()) {
                    break;
                }
                ic.nextTier();
            }
            while (true) {
                ic.removeDuplicatesInSegment(listener, corruption);
                if (ic.tier() == 0) {
                    break;
                }
                ic.prevTier();
            }
        }
        if (op == DictStripeLayout.PUT || op == DictStripeLayout.REMOVE) {
            redo(stripe, op, map);
        }
        journalDone(stripe);
        LOG.log(Level.DEBUG, () -> "SharedDict " + dictPath + " segment " + stripe + " repaired (" + corruptions[0]
                + " inconsistencies fixed), " + (op == DictStripeLayout.PUT ? "put redone"
                : op == DictStripeLayout.REMOVE ? "remove redone" : "an unjournaled write could not be redone"));
    }

    private <K, V> void redo(int stripe, long op, ChronicleMap<K, V> map) {
        int base = base(stripe);
        int keySize = buf.getInt(base + DictStripeLayout.KEY_SIZE);
        long keyOffset = base + DictStripeLayout.JOURNAL;
        try (ExternalMapQueryContext<K, V, ?> c = map.queryContext(bytes, keyOffset, keySize)) {
            c.updateLock().lock();
            MapEntry<K, V> entry = c.entry();
            if (op == DictStripeLayout.PUT) {
                int valueSize = buf.getInt(base + DictStripeLayout.VALUE_SIZE);
                Data<V> value = c.wrapValueBytesAsData(bytes, keyOffset + keySize, valueSize);
                if (entry == null) {
                    c.insert(c.absentEntry(), value);
                } else {
                    c.replaceValue(entry, value);
                }
            } else if (entry != null) {
                c.remove(entry);
            }
        }
    }
}
