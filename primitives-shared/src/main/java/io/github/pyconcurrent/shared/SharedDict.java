package io.github.pyconcurrent.shared;

import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import net.openhft.chronicle.hash.ChronicleHashClosedException;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.hash.HashSegmentContext;
import net.openhft.chronicle.hash.locks.InterProcessDeadLockException;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import net.openhft.chronicle.map.MapSegmentContext;
import net.openhft.chronicle.map.VanillaChronicleMap;
import net.openhft.chronicle.map.impl.CompiledMapQueryContext;

/**
 * A dict shared by processes (JVMs): Python's {@code Manager().dict()} as a
 * {@link ConcurrentMap} over a Chronicle Map file in /dev/shm, which every attached JVM maps into
 * its own memory. There is no server process in between, so an operation is a hash lookup in
 * shared memory under a per-segment lock, not a round trip to a manager.
 *
 * <pre>{@code
 * try (Manager manager = Manager.start()) {
 *     SharedDict<Integer, Integer> dic = manager.dict(Integer.class, Integer.class);
 *     Process p = new Process(() -> dic.put(1, 101));   // the child attaches to the same dict
 *     p.start(); p.join();
 *     dic.get(1);                                       // 101
 *     dic.merge(7, 1, Integer::sum);                    // atomic across processes
 * }
 * }</pre>
 *
 * <p><b>Types.</b> Keys: {@code String}, {@code Integer}, {@code Long}, {@code Double},
 * {@code byte[]} (compared by content, unlike a Java map). Values: the same, natively, and any
 * other {@link Serializable} class through a codec (Java serialization, read
 * back through an {@link java.io.ObjectInputFilter}). Values are copies: {@code get} returns a new
 * object each time, and mutating it does not change the dict (as with Python's proxies).
 * Deserialization and its trust: the serialized bytes only ever come from processes of ours,
 * through the dict's file in /dev/shm, which is created with mode 0600 (only the same user can
 * open it); the filter, which by default admits java.base and the value class's own package
 * ({@link DictOptions#serialFilter(String)} to widen it), is defence in depth on top of that.
 *
 * <p><b>Atomicity.</b> Every single-key operation is atomic across all attached processes:
 * {@code putIfAbsent}, {@code replace}, {@code remove(k, v)} compare serialized bytes;
 * {@code compute}, {@code computeIfAbsent}, {@code computeIfPresent} and {@code merge} hold the
 * key's segment locks across the read, the function call and the write, so concurrent
 * {@code merge(k, 1, Integer::sum)} from several JVMs never lose an increment. The function runs
 * under that lock: keep it short, and never touch the dict from inside it. Iteration is weakly
 * consistent, like {@link java.util.concurrent.ConcurrentHashMap}'s: it copies one segment at a
 * time; {@code size()} sums the segments' counts the same way.
 *
 * <p><b>Capacity.</b> Fixed when created (see {@link DictOptions}); a full dict throws an
 * exception that names the option to raise.
 *
 * <p><b>A process killed mid-operation heals by itself.</b> Every operation holds its segment's
 * robust lock (owner = pid and start time, as a process {@link Lock}'s), and every write is
 * journaled first (see {@code DictStripes}). When a process dies at any point of an operation
 * (even by {@code kill -9}), the next process to touch that segment takes the lock over after one
 * owner-check interval ({@code pyconcurrent.shared.ownerCheckMillis}, 100 ms by default), logs one
 * WARNING naming the dead pid, repairs the segment and finishes the dead process's journaled
 * write: that entry holds the new value (or its old one if the write had not begun), never a
 * torn one, and nothing else is lost. Operations on other segments never wait. A live process is
 * never taken for dead (a zombie or a reused pid counts as dead). An operation that waits for a
 * live holder longer than the lock timeout (5 s by default) fails with
 * {@link DictLockTimeoutException}. Limits: a write whose key and value serialize to more than
 * 16 times the dict's average entry size (at least 4 KiB) is repaired but not journaled, so if
 * its writer dies tearing it in place the entry is dropped; a process killed while the dict grows
 * a segment beyond its capacity can leave Chronicle's map-wide tier lock held.
 * {@link #recover()} remains for a corrupted file.
 *
 * <p><b>Cost.</b> The segment lock is one CAS and one atomic swap. A get takes it instead of
 * Chronicle Map's segment read lock (which is also two atomics), so it costs what Chronicle's own
 * get does (0.99x to 1.04x in the same JMH run, SharedDictBenchmark's get against chronicleGet);
 * a write takes it on top of Chronicle's locks and also copies its serialized key and value into
 * the journal (1.1x to 1.2x Chronicle's put).
 *
 * <p><b>Handles.</b> A SharedDict is {@link Serializable} as a handle (file, key and value
 * classes, options): deserialized in another JVM, it attaches to the same file. That is how a
 * dict captured by a {@code Process} or {@code Pool} lambda reaches the child. {@link #close()}
 * detaches this JVM; the {@link Manager} that created the dict deletes its file on shutdown.
 *
 * <p>Memory consistency effects: as for {@link ConcurrentMap}, across threads and processes; a
 * write is visible to every process that reads the key after the write's segment lock is
 * released.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class SharedDict<K, V> extends AbstractMap<K, V>
        implements ConcurrentMap<K, V>, Serializable, AutoCloseable {
    @Serial
    private static final long serialVersionUID = 1L;

    static {
        ChronicleSupport.init();
    }

    private static final Set<Class<?>> NATIVE_TYPES =
            Set.of(String.class, Integer.class, Long.class, Double.class, byte[].class);
    private static final Set<Class<?>> FIXED_SIZE_TYPES = Set.of(Integer.class, Long.class, Double.class);

    /** The Chronicle Map file the dict lives in; a deserialized handle opens the same file. */
    private final String path;
    /** The type of the keys, checked again when a handle is deserialized. */
    private final Class<K> keyClass;
    /** The type of the values, checked again when a handle is deserialized. */
    private final Class<V> valueClass;
    /** The options the dict was created with. */
    private final DictOptions options;
    /** The name of the companion segment holding the stripes ({@link DictStripes}). */
    private final String stripesName;
    /** This JVM's mapping of the file; replaced by {@link #recover()}, never null once built. */
    private transient volatile ChronicleMap<K, V> map;
    /** This JVM's mapping of the stripes; never null once built. */
    private transient DictStripes stripes;

    private SharedDict(String path, Class<K> keyClass, Class<V> valueClass, DictOptions options,
                       ChronicleMap<K, V> map, DictStripes stripes) {
        this.path = path;
        this.keyClass = keyClass;
        this.valueClass = valueClass;
        this.options = options;
        this.map = map;
        this.stripes = stripes;
        this.stripesName = stripes.name();
    }

    /**
     * Creates a dict in a new file at {@code file}; the caller owns the file. The file is created
     * here with mode 0600 before Chronicle opens it, so no other user can read or write it.
     */
    static <K, V> SharedDict<K, V> create(File file, Class<K> keyClass, Class<V> valueClass, DictOptions options) {
        checkTypes(keyClass, valueClass);
        try {
            Files.createFile(file.toPath(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create SharedDict file " + file, e);
        }
        ChronicleMap<K, V> map = open(file, keyClass, valueClass, options);
        try {
            return new SharedDict<>(file.getPath(), keyClass, valueClass, options, map,
                    DictStripes.create(map, options, file.getPath()));
        } catch (RuntimeException | Error e) {
            map.close();
            throw e;
        }
    }

    private static void checkTypes(Class<?> keyClass, Class<?> valueClass) {
        if (!NATIVE_TYPES.contains(keyClass)) {
            throw new IllegalArgumentException("SharedDict keys must be String, Integer, Long, Double or byte[], not "
                    + keyClass.getName() + " (a key is found by its bytes, and only these have one canonical form)");
        }
        if (!NATIVE_TYPES.contains(valueClass) && !Serializable.class.isAssignableFrom(valueClass)) {
            throw new IllegalArgumentException("SharedDict values must be Serializable: " + valueClass.getName());
        }
    }

    private static <K, V> ChronicleMapBuilder<K, V> builder(Class<K> keyClass, Class<V> valueClass, DictOptions options) {
        ChronicleMapBuilder<K, V> b = ChronicleMapBuilder.of(keyClass, valueClass)
                .name("pyconcurrent-dict")
                .entries(options.entries())
                // sparse: /dev/shm pages are only used when touched, so capacity is cheap
                .sparseFile(true);
        if (!FIXED_SIZE_TYPES.contains(keyClass)) {
            b.averageKeySize(options.averageKeySize());
        }
        if (!FIXED_SIZE_TYPES.contains(valueClass)) {
            b.averageValueSize(options.averageValueSize());
        }
        if (!NATIVE_TYPES.contains(valueClass)) {
            b.valueMarshaller(new SerializableCodec<>(valueClass, options.serialFilter()));
        }
        return b;
    }

    private static <K, V> ChronicleMap<K, V> open(File file, Class<K> keyClass, Class<V> valueClass, DictOptions options) {
        try {
            return builder(keyClass, valueClass, options).createPersistedTo(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open SharedDict file " + file, e);
        }
    }

    /**
     * The Chronicle Map file behind this dict.
     *
     * @return the path of the Chronicle Map file
     */
    public String path() {
        return path;
    }

    /**
     * Returns the class of the keys.
     *
     * @return the key class the dict was made with
     */
    public Class<K> keyClass() {
        return keyClass;
    }

    /**
     * Returns the class of the values.
     *
     * @return the value class the dict was made with
     */
    public Class<V> valueClass() {
        return valueClass;
    }

    /**
     * Returns the options the dict was made with.
     *
     * @return its capacity, average sizes and filter
     */
    public DictOptions options() {
        return options;
    }

    // ---- ConcurrentMap: each a query under the key's stripe (see DictStripes) ----

    /**
     * Null keys and values fail here, naming the rule (a bare NullPointerException names nothing):
     * Python's dict holds None; this one, as every ConcurrentMap, holds no null.
     */
    private static void requireHeld(Object keyOrValue) {
        if (keyOrValue == null) {
            throw new NullPointerException("SharedDict does not hold null keys or values"
                    + " (unlike Python's dict with None): use Optional, or a sentinel value, for \"nothing\"");
        }
    }

    /** The key as K, or null when it cannot be one (so no entry can match); null throws NPE. */
    @SuppressWarnings("unchecked")
    private K asKey(Object key) {
        requireHeld(key);
        return keyClass.isInstance(key) ? (K) key : null;
    }

    /**
     * A query context for {@code key} with the key's stripe held and its segment consistent (healed
     * first if its last holder died). Pair with {@link #release}, which closes the context and then
     * releases the stripe.
     */
    private ExternalMapQueryContext<K, V, ?> lockedContext(K key) {
        ChronicleMap<K, V> m = map;
        ExternalMapQueryContext<K, V, ?> c = m.queryContext(key);
        int stripe;
        int state;
        try {
            stripe = c.segmentIndex();   // from the key's hash: no Chronicle lock taken yet
            state = stripes.acquire(stripe);
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
        if (state != DictStripes.CLEAN) {
            c.close();   // heal runs Chronicle contexts of its own on the segment
            try {
                stripes.heal(stripe, m);
                c = m.queryContext(key);
            } catch (RuntimeException | Error e) {
                stripes.release(stripe);
                throw e;
            }
        }
        return c;
    }

    private void release(ExternalMapQueryContext<K, V, ?> c) {
        int stripe = c.segmentIndex();
        try {
            c.close();
        } finally {
            stripes.release(stripe);
        }
    }

    /**
     * What every keyed operation does: runs {@code body} on {@code key}'s query context with the
     * key's stripe held ({@link #lockedContext}) and, when {@code forUpdate}, Chronicle's segment
     * update lock taken (a read-modify-write); Chronicle's failures come out in our words
     * ({@link #translate}).
     */
    private <R> R query(K key, boolean forUpdate, Function<ExternalMapQueryContext<K, V, ?>, R> body) {
        try {
            ExternalMapQueryContext<K, V, ?> c = lockedContext(key);
            try {
                if (forUpdate) {
                    c.updateLock().lock();
                }
                return body.apply(c);
            } finally {
                release(c);
            }
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** The entry's value, a copy; null for no entry. */
    private V valueOf(MapEntry<K, V> entry) {
        return entry == null ? null : entry.value().getUsing(null);
    }

    /** Writes {@code value} into the locked context's entry (inserting when {@code entry} is null), journaled. */
    private void write(ExternalMapQueryContext<K, V, ?> c, MapEntry<K, V> entry, Data<V> value) {
        int stripe = c.segmentIndex();
        stripes.journalPut(stripe, c.queriedKey(), value);
        try {
            if (entry == null) {
                c.insert(c.absentEntry(), value);
            } else {
                c.replaceValue(entry, value);
            }
        } finally {
            stripes.journalDone(stripe);   // done, or failed without effect (full, too large): nothing to redo
        }
    }

    /** Removes the locked context's entry, journaled. */
    private void delete(ExternalMapQueryContext<K, V, ?> c, MapEntry<K, V> entry) {
        int stripe = c.segmentIndex();
        stripes.journalRemove(stripe, c.queriedKey());
        try {
            c.remove(entry);
        } finally {
            stripes.journalDone(stripe);
        }
    }

    @Override
    public V get(Object key) {
        return getOrDefault(key, null);
    }

    @Override
    public V getOrDefault(Object key, V defaultValue) {
        K k = asKey(key);
        if (k == null) {
            return defaultValue;
        }
        try {
            V value = ChronicleLookup.AVAILABLE ? lookup(k) : lookupInContext(k);
            return value == null ? defaultValue : value;
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /**
     * The key's value (null when absent), read under its stripe without Chronicle's segment lock
     * ({@link ChronicleLookup}: the stripe is the only lock a get needs). The hot path: one CAS
     * and one swap on the stripe, Chronicle's hash and search, nothing allocated but the value.
     */
    private V lookup(K key) {
        VanillaChronicleMap<K, V, ?> m = (VanillaChronicleMap<K, V, ?>) map;
        while (true) {
            CompiledMapQueryContext<K, V, ?> c = ChronicleLookup.open(m);
            int stripe = -1;
            boolean toHeal = false;
            try {
                Data<K> data = ChronicleLookup.keyData(c, key);
                long hash = ChronicleLookup.hash(data);
                stripe = ChronicleLookup.segment(m, hash);
                if (stripes.acquire(stripe) == DictStripes.CLEAN) {
                    try {
                        return ChronicleLookup.valueHoldingStripe(m, c, data, hash, stripe);
                    } finally {
                        stripes.release(stripe);
                    }
                }
                toHeal = true;
            } finally {
                try {
                    ChronicleLookup.close(m, c);   // heal below runs Chronicle contexts of its own
                } catch (RuntimeException | Error e) {
                    if (toHeal) {
                        stripes.release(stripe);   // never leave a stripe held: as when heal fails
                    }
                    throw e;
                }
            }
            // Its last holder died in it: heal, then look again (the stripe is released in
            // between, as a get is atomic at the acquire that finds the segment clean).
            try {
                stripes.heal(stripe, m);
            } finally {
                stripes.release(stripe);
            }
        }
    }

    /** {@link #lookup} through a query context, for a Chronicle Map without the methods ChronicleLookup uses. */
    private V lookupInContext(K key) {
        return query(key, false, c -> valueOf(c.entry()));
    }

    @Override
    public boolean containsKey(Object key) {
        K k = asKey(key);
        if (k == null) {
            return false;
        }
        return query(k, false, c -> c.entry() != null);
    }

    /** Weakly consistent, as iteration: a scan of the segments one at a time. */
    @Override
    public boolean containsValue(Object value) {
        requireHeld(value);
        for (int s = 0; s < stripes.stripes(); s++) {
            for (Entry<K, V> e : segmentEntries(s)) {
                if (Objects.deepEquals(e.getValue(), value)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public V put(K key, V value) {
        requireHeld(key);
        requireHeld(value);
        return query(key, true, c -> {
            MapEntry<K, V> entry = c.entry();
            V old = valueOf(entry);
            write(c, entry, c.wrapValueAsData(value));
            return old;
        });
    }

    /** One put per mapping, each atomic on its own (as ConcurrentHashMap's). */
    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        for (Entry<? extends K, ? extends V> e : m.entrySet()) {
            put(e.getKey(), e.getValue());
        }
    }

    @Override
    public V remove(Object key) {
        K k = asKey(key);
        if (k == null) {
            return null;
        }
        return query(k, true, c -> {
            MapEntry<K, V> entry = c.entry();
            if (entry == null) {
                return null;
            }
            V old = valueOf(entry);
            delete(c, entry);
            return old;
        });
    }

    @Override
    public V putIfAbsent(K key, V value) {
        requireHeld(key);
        requireHeld(value);
        return query(key, true, c -> {
            MapEntry<K, V> entry = c.entry();
            if (entry != null) {
                return valueOf(entry);
            }
            write(c, null, c.wrapValueAsData(value));
            return null;
        });
    }

    @Override
    public boolean remove(Object key, Object value) {
        K k = asKey(key);
        if (k == null || !valueClass.isInstance(value)) {
            return false;
        }
        return query(k, true, c -> {
            MapEntry<K, V> entry = c.entry();
            if (entry == null || !Data.bytesEquivalent(entry.value(), c.wrapValueAsData(valueClass.cast(value)))) {
                return false;
            }
            delete(c, entry);
            return true;
        });
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        requireHeld(key);
        requireHeld(oldValue);
        requireHeld(newValue);
        return query(key, true, c -> {
            MapEntry<K, V> entry = c.entry();
            if (entry == null || !Data.bytesEquivalent(entry.value(), c.wrapValueAsData(oldValue))) {
                return false;
            }
            write(c, entry, c.wrapValueAsData(newValue));
            return true;
        });
    }

    @Override
    public V replace(K key, V value) {
        requireHeld(key);
        requireHeld(value);
        return query(key, true, c -> {
            MapEntry<K, V> entry = c.entry();
            if (entry == null) {
                return null;
            }
            V old = valueOf(entry);
            write(c, entry, c.wrapValueAsData(value));
            return old;
        });
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remapping) {
        Objects.requireNonNull(remapping);
        return update(key, remapping, true, true);
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remapping) {
        Objects.requireNonNull(remapping);
        return update(key, remapping, false, true);
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mapping) {
        Objects.requireNonNull(mapping);
        return update(key, (k, old) -> mapping.apply(k), true, false);
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remapping) {
        requireHeld(value);
        Objects.requireNonNull(remapping);
        return update(key, (k, old) -> old == null ? value : remapping.apply(old, value), true, true);
    }

    /**
     * The read-modify-write behind compute and merge: holds the key's stripe and Chronicle's
     * segment update lock from the read to the write (Chronicle upgrades it to the write lock for
     * the write), so no other thread or process can change the entry in between. (ConcurrentMap's
     * default compute is a CAS retry loop: atomic per attempt, but it may call the function
     * several times.)
     *
     * @param ifAbsent  call the function when the key is absent
     * @param ifPresent call the function when the key is present
     * @return the value now associated with the key (null if none), or the present value when
     *         the function was not called
     */
    private V update(K key, BiFunction<? super K, ? super V, ? extends V> function, boolean ifAbsent, boolean ifPresent) {
        requireHeld(key);
        return query(key, true, c -> {
            MapEntry<K, V> entry = c.entry();
            V old = valueOf(entry);
            if ((old == null && !ifAbsent) || (old != null && !ifPresent)) {
                return old;
            }
            V updated = function.apply(key, old);
            if (updated == null) {
                if (entry != null) {
                    delete(c, entry);
                }
            } else {
                write(c, entry, c.wrapValueAsData(updated));
            }
            return updated;
        });
    }

    /** The sum of the segments' counts, each read under its stripe: exact when nothing changes meanwhile. */
    @Override
    public int size() {
        long n = 0;
        for (int s = 0; s < stripes.stripes(); s++) {
            n += inSegment(s, HashSegmentContext::size);
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    @Override
    public boolean isEmpty() {
        for (int s = 0; s < stripes.stripes(); s++) {
            if (inSegment(s, HashSegmentContext::size) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Removes every key, one segment at a time, each key atomically (weakly consistent, as ConcurrentHashMap's). */
    @Override
    public void clear() {
        for (int s = 0; s < stripes.stripes(); s++) {
            for (Entry<K, V> e : segmentEntries(s)) {
                remove(e.getKey());
            }
        }
    }

    /**
     * Runs {@code body} on segment {@code stripe} with its stripe held (the segment healed first if
     * its last holder died).
     */
    private <R> R inSegment(int stripe, Function<? super MapSegmentContext<K, V, ?>, R> body) {
        ChronicleMap<K, V> m = map;
        try {
            if (stripes.acquire(stripe) != DictStripes.CLEAN) {
                try {
                    stripes.heal(stripe, m);
                } catch (RuntimeException | Error e) {
                    stripes.release(stripe);
                    throw e;
                }
            }
            try (MapSegmentContext<K, V, ?> c = m.segmentContext(stripe)) {
                return body.apply(c);
            } finally {
                stripes.release(stripe);
            }
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** A copy of the entries of one segment, read under its stripe. */
    private List<Entry<K, V>> segmentEntries(int stripe) {
        return inSegment(stripe, c -> {
            List<Entry<K, V>> entries = new ArrayList<>((int) Math.min(c.size(), 1 << 16));
            c.forEachSegmentEntry(e -> entries.add(
                    new AbstractMap.SimpleImmutableEntry<>(e.key().getUsing(null), e.value().getUsing(null))));
            return entries;
        });
    }

    /**
     * Weakly consistent, as ConcurrentHashMap's: the iterator copies one segment at a time (under
     * its stripe) and never throws ConcurrentModificationException. {@code Entry.setValue} and
     * {@code Iterator.remove} write through to the dict.
     */
    @Override
    public Set<Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<K, V>> iterator() {
                return new EntryIterator();
            }

            @Override
            public int size() {
                return SharedDict.this.size();
            }

            @Override
            public boolean contains(Object o) {
                return o instanceof Entry<?, ?> e && e.getKey() != null
                        && Objects.deepEquals(SharedDict.this.get(e.getKey()), e.getValue());
            }

            @Override
            public boolean remove(Object o) {
                return o instanceof Entry<?, ?> e && e.getKey() != null && SharedDict.this.remove(e.getKey(), e.getValue());
            }

            @Override
            public void clear() {
                SharedDict.this.clear();
            }
        };
    }

    /** An iterator over the entries, one segment at a time (see {@code EntryIterator}), mapped to keys or values. */
    private <T> Iterator<T> entryIterator(java.util.function.Function<Map.Entry<K, V>, T> part) {
        EntryIterator it = new EntryIterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public T next() {
                return part.apply(it.next());
            }

            @Override
            public void remove() {
                it.remove();
            }
        };
    }

    @Override
    public Set<K> keySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<K> iterator() {
                return entryIterator(Map.Entry::getKey);
            }

            @Override
            public int size() {
                return SharedDict.this.size();
            }

            @Override
            public boolean contains(Object o) {
                return SharedDict.this.containsKey(o);
            }

            @Override
            public boolean remove(Object o) {
                return SharedDict.this.remove(o) != null;
            }

            @Override
            public void clear() {
                SharedDict.this.clear();
            }
        };
    }

    /** Walks the segments in order, one copied segment at a time. */
    private final class EntryIterator implements Iterator<Entry<K, V>> {
        private int nextSegment;
        private Iterator<Entry<K, V>> current = Collections.emptyIterator();
        private K lastKey;

        @Override
        public boolean hasNext() {
            while (!current.hasNext()) {
                if (nextSegment >= stripes.stripes()) {
                    return false;
                }
                current = segmentEntries(nextSegment++).iterator();
            }
            return true;
        }

        @Override
        public Entry<K, V> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Entry<K, V> e = current.next();
            lastKey = e.getKey();
            return new WriteThroughEntry(e.getKey(), e.getValue());
        }

        @Override
        public void remove() {
            if (lastKey == null) {
                throw new IllegalStateException();
            }
            SharedDict.this.remove(lastKey);
            lastKey = null;
        }
    }

    /** An iterated entry whose setValue puts into the dict. */
    private final class WriteThroughEntry extends AbstractMap.SimpleEntry<K, V> {
        @Serial
        private static final long serialVersionUID = 1L;

        WriteThroughEntry(K key, V value) {
            super(key, value);
        }

        @Override
        public V setValue(V value) {
            SharedDict.this.put(getKey(), value);
            return super.setValue(value);
        }
    }

    // ---- lifecycle ----

    /**
     * Repairs a corrupted dict file: resets its segment locks and fixes its segments, in place
     * (Chronicle Map's {@code recoverPersistedTo}), then reattaches this JVM. Other JVMs keep their
     * attachment and can carry on afterwards. A process that dies using the dict does not need it
     * (the dict heals by itself, see the class comment); a {@link DictLockTimeoutException} that
     * names Chronicle's lock rather than a live holder does.
     *
     * <p>Call it from one process, while no other process (or thread of this one) is using the
     * dict: a lock that is reset while a live process holds it would let two writers into one
     * segment.
     */
    public synchronized void recover() {
        ChronicleMap<K, V> old = map;
        old.close();
        try {
            map = builder(keyClass, valueClass, options).recoverPersistedTo(new File(path), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot recover SharedDict file " + path, e);
        }
    }

    /**
     * The companion segment holding this dict's stripes: the creator (its {@link Manager})
     * unlinks it with the dict's file.
     */
    Path stripesFile() {
        return stripes.path();
    }

    /** Detaches this JVM from the dict (the file stays until its Manager shuts down); idempotent. */
    @Override
    public void close() {
        map.close();
    }

    /** The stripe a get of {@code key} takes, computed as {@link #lookup} does, for tests that check it is Chronicle's segment. */
    int stripeOf(K key) {
        VanillaChronicleMap<K, V, ?> m = (VanillaChronicleMap<K, V, ?>) map;
        CompiledMapQueryContext<K, V, ?> c = ChronicleLookup.open(m);
        try {
            return ChronicleLookup.segment(m, ChronicleLookup.hash(ChronicleLookup.keyData(c, key)));
        } finally {
            ChronicleLookup.close(m, c);
        }
    }

    /** This JVM's stripes, for tests that need to die holding one on purpose. */
    DictStripes stripes() {
        return stripes;
    }

    /** This JVM's Chronicle Map, for tests that need to hold a segment lock on purpose. */
    ChronicleMap<K, V> chronicleMap() {
        return map;
    }

    /**
     * Whether this JVM has detached ({@link #close()}) or its manager has shut down.
     *
     * @return true once this JVM has detached or its manager has shut down
     */
    public boolean isClosed() {
        return map.isClosed();
    }

    /**
     * Reads a handle, checks its key and value types, and opens the same dict's file.
     *
     * @param in the stream the handle is read from
     * @throws IOException if the stream fails
     * @throws ClassNotFoundException if a class of the handle cannot be found here
     * @throws IllegalArgumentException if the types are not ones a shared dict may hold
     * @throws IllegalStateException if the dict's file is gone (its Manager has shut down)
     */
    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        checkTypes(keyClass, valueClass);
        File file = new File(path);
        if (!file.isFile() || file.length() == 0) {
            throw new IllegalStateException("SharedDict file " + path + " is gone: its Manager has shut down");
        }
        map = open(file, keyClass, valueClass, options);
        try {
            stripes = DictStripes.attach(stripesName, map, path);
        } catch (RuntimeException | Error e) {
            map.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return "SharedDict[" + path + "]";
    }

    /**
     * Chronicle's failures, in our words: which option to raise, what to call. Returns the
     * exception to throw (the original one when it is not a Chronicle condition we know).
     */
    private RuntimeException translate(RuntimeException e) {
        if (e instanceof InterProcessDeadLockException) {
            return new DictLockTimeoutException("a Chronicle segment lock of SharedDict " + path + " was not released within "
                    + ChronicleSupport.lockTimeoutSeconds() + " s although its SharedDict lock was free: it was taken "
                    + "outside SharedDict, or the file is corrupted. "
                    + "Call SharedDict.recover() from one process once no other process is using the dict "
                    + "(the timeout is the system property " + ChronicleSupport.LOCK_TIMEOUT_PROPERTY + ")", e);
        }
        if (e instanceof ChronicleHashClosedException) {
            return new IllegalStateException("SharedDict " + path
                    + " is closed in this JVM (closed, or its Manager has shut down)", e);
        }
        String message = String.valueOf(e.getMessage());
        if (e instanceof IllegalStateException && message.contains("extra segment tier")) {
            return new IllegalStateException("SharedDict " + path + " is full (created for "
                    + options.entries() + " entries of about " + options.averageKeySize() + "-byte keys and "
                    + options.averageValueSize() + "-byte values): create it with a larger "
                    + "DictOptions.entries(long)" + (FIXED_SIZE_TYPES.contains(valueClass) ? "" : ", or a larger "
                    + "DictOptions.averageValueSize(double) if the values are larger than that"), e);
        }
        if (e instanceof IllegalArgumentException
                && (message.contains("Entry is too large") || message.contains("Value too large"))) {
            return new IllegalArgumentException("an entry is too large for SharedDict " + path
                    + " (created for about " + options.averageKeySize() + "-byte keys and "
                    + options.averageValueSize() + "-byte values): create it with a larger "
                    + "DictOptions.averageValueSize(double) (or DictOptions.averageKeySize(double) for long keys)", e);
        }
        return e;
    }
}
