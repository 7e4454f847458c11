package io.github.pyconcurrent.shared;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import net.openhft.chronicle.algo.hashing.LongHashFunction;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.hash.impl.CompactOffHeapLinearHashTable;
import net.openhft.chronicle.hash.impl.HashSplitting;
import net.openhft.chronicle.map.VanillaChronicleMap;
import net.openhft.chronicle.map.impl.CompiledMapQueryContext;

/**
 * {@link SharedDict#get}'s lookup: Chronicle Map's own fast get ({@code VanillaChronicleMap.optimizedGet},
 * Chronicle 3.27) step by step, with our stripe in place of Chronicle's segment read lock.
 *
 * <p>Why Chronicle's read lock can go: every access to a segment's entries, by any process, is
 * made by the holder of the segment's stripe ({@link DictStripes}: SharedDict's every operation,
 * its iteration, and heal). So whoever holds the stripe is alone on the segment, and Chronicle's
 * read lock on it would be one more uncontended CAS to take and one to drop; holding neither
 * also means a reader killed in the lookup leaves no Chronicle lock state at all, only its
 * stripe, which is taken over and healed as any other. Chronicle's lookup itself runs without its
 * read lock on its own path too (a get nested in a context of the same thread that locks the
 * segment already), so nothing below relies on the lock being held. The stripe's acquiring CAS
 * orders this read after the last holder's writes, as Chronicle's lock CAS would.
 *
 * <p>The hash and segment index are Chronicle's (its key serialization, {@code xx_r39},
 * {@code HashSplitting}), so the stripe taken is exactly the segment searched;
 * {@code SharedDictLookupTest} checks the index against Chronicle's for every key type.
 *
 * <p>The search ({@code tieredValue}) and the context's close ({@code getClose}) are private to
 * Chronicle, reached through method handles; if this Chronicle version does not have them,
 * {@link #AVAILABLE} is false and SharedDict reads through a query context instead (the same
 * stripe, plus Chronicle's read lock).
 */
final class ChronicleLookup {
    /** {@code VanillaChronicleMap.tieredValue(context, segmentHeaderAddress, segmentIndex, searchKey, hlPos, keySize, key, using)}. */
    private static final MethodHandle TIERED_VALUE;
    /** {@code VanillaChronicleMap.getClose(context, segmentHeaderAddress, readUnlock)}. */
    private static final MethodHandle GET_CLOSE;
    /** Whether this Chronicle Map has the private methods above (SharedDict falls back otherwise). */
    static final boolean AVAILABLE;

    static {
        ChronicleSupport.init();
        MethodHandle tiered = null;
        MethodHandle close = null;
        try {
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(VanillaChronicleMap.class, MethodHandles.lookup());
            tiered = l.findVirtual(VanillaChronicleMap.class, "tieredValue", MethodType.methodType(Object.class,
                    CompiledMapQueryContext.class, long.class, int.class, long.class, long.class, long.class,
                    Data.class, Object.class));
            close = l.findVirtual(VanillaChronicleMap.class, "getClose", MethodType.methodType(void.class,
                    CompiledMapQueryContext.class, long.class, boolean.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.getLogger("io.github.pyconcurrent.shared").log(System.Logger.Level.DEBUG,
                    "SharedDict get reads through a query context: this Chronicle Map has no tieredValue/getClose", e);
            tiered = null;
            close = null;
        }
        TIERED_VALUE = tiered;
        GET_CLOSE = close;
        AVAILABLE = tiered != null;
    }

    private ChronicleLookup() {}

    /**
     * This thread's Chronicle query context for a get (pair with {@link #close}); {@code key}
     * is of the map's key class (SharedDict checked it).
     */
    static <K, V> CompiledMapQueryContext<K, V, ?> open(VanillaChronicleMap<K, V, ?> map) {
        map.throwExceptionIfClosed();   // a closed map is unmapped: never read it
        return (CompiledMapQueryContext<K, V, ?>) map.mapContext();
    }

    /** The key as Chronicle serializes it, in the context's own buffer (valid until {@link #close}). */
    static <K> Data<K> keyData(CompiledMapQueryContext<K, ?, ?> context, K key) {
        return context.inputKeyDataAccess().getData(key);
    }

    /** The key's hash, as Chronicle computes it for a lookup. */
    static long hash(Data<?> key) {
        return key.hash(LongHashFunction.xx_r39());
    }

    /** The Chronicle segment (= stripe) of a key with hash {@code hash}. */
    static int segment(VanillaChronicleMap<?, ?, ?> map, long hash) {
        return map.hashSplitting.segmentIndex(hash);
    }

    /**
     * The value of the key (null when absent), found without Chronicle's segment lock: the caller
     * holds stripe {@code segment} (see the class comment).
     */
    @SuppressWarnings("unchecked")
    static <K, V> V valueHoldingStripe(VanillaChronicleMap<K, V, ?> map, CompiledMapQueryContext<K, V, ?> context,
                                       Data<K> key, long hash, int segment) {
        HashSplitting split = map.hashSplitting;
        CompactOffHeapLinearHashTable hashLookup = map.hashLookup;
        long searchKey = hashLookup.maskUnsetKey(split.segmentHash(hash));
        try {
            return (V) (Object) TIERED_VALUE.invokeExact((VanillaChronicleMap<?, ?, ?>) map, (CompiledMapQueryContext<?, ?, ?>) context,
                    map.segmentHeaderAddress(segment), segment, searchKey, hashLookup.hlPos(searchKey), key.size(),
                    (Data<?>) key, (Object) null);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);   // tieredValue declares no checked exception
        }
    }

    /** Ends the get's use of its context, as Chronicle's get does (there is no Chronicle lock to drop). */
    static void close(VanillaChronicleMap<?, ?, ?> map, CompiledMapQueryContext<?, ?, ?> context) {
        try {
            GET_CLOSE.invokeExact(map, context, 0L, false);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
