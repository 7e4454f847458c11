package io.github.pyconcurrent.shared;

import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import net.openhft.chronicle.hash.ChronicleHashClosedException;
import net.openhft.chronicle.hash.locks.InterProcessDeadLockException;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;

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
 * key's segment update lock across the read, the function call and the write, so concurrent
 * {@code merge(k, 1, Integer::sum)} from several JVMs never lose an increment. The function runs
 * under that lock: keep it short, and never touch the dict from inside it. Iteration is weakly
 * consistent, segment by segment, like {@link java.util.concurrent.ConcurrentHashMap}'s.
 *
 * <p><b>Capacity.</b> Fixed when created (see {@link DictOptions}); a full dict throws an
 * exception that names the option to raise.
 *
 * <p><b>A process killed mid-write.</b> If a process dies holding a segment lock, operations on
 * that segment fail with {@link DictLockTimeoutException} after the lock timeout (bounded, 5 s by
 * default), instead of hanging. {@link #recover()} then repairs the dict in place.
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

    private final String path;
    private final Class<K> keyClass;
    private final Class<V> valueClass;
    private final DictOptions options;
    /** This JVM's mapping of the file; replaced by {@link #recover()}, never null once built. */
    private transient volatile ChronicleMap<K, V> map;

    private SharedDict(String path, Class<K> keyClass, Class<V> valueClass, DictOptions options,
                       ChronicleMap<K, V> map) {
        this.path = path;
        this.keyClass = keyClass;
        this.valueClass = valueClass;
        this.options = options;
        this.map = map;
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
        return new SharedDict<>(file.getPath(), keyClass, valueClass, options, open(file, keyClass, valueClass, options));
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

    /** The Chronicle Map file behind this dict. */
    public String path() {
        return path;
    }

    public Class<K> keyClass() {
        return keyClass;
    }

    public Class<V> valueClass() {
        return valueClass;
    }

    public DictOptions options() {
        return options;
    }

    // ---- ConcurrentMap: each a delegation, with Chronicle's failures translated ----

    @Override
    public V get(Object key) {
        try {
            return map.get(key);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public V getOrDefault(Object key, V defaultValue) {
        try {
            return map.getOrDefault(key, defaultValue);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public boolean containsKey(Object key) {
        try {
            return map.containsKey(key);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public boolean containsValue(Object value) {
        try {
            return map.containsValue(value);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public V put(K key, V value) {
        try {
            return map.put(key, value);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        try {
            map.putAll(m);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public V remove(Object key) {
        try {
            return map.remove(key);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public V putIfAbsent(K key, V value) {
        try {
            return map.putIfAbsent(key, value);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public boolean remove(Object key, Object value) {
        try {
            return map.remove(key, value);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        try {
            return map.replace(key, oldValue, newValue);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public V replace(K key, V value) {
        try {
            return map.replace(key, value);
        } catch (RuntimeException e) {
            throw translate(e);
        }
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
        Objects.requireNonNull(value);
        Objects.requireNonNull(remapping);
        return update(key, (k, old) -> old == null ? value : remapping.apply(old, value), true, true);
    }

    /**
     * The read-modify-write behind compute and merge: holds the key's segment update lock from the
     * read to the write (Chronicle upgrades it to the write lock for the write), so no other
     * thread or process can change the entry in between. (ConcurrentMap's default compute is a
     * CAS retry loop: atomic per attempt, but it may call the function several times.)
     *
     * @param ifAbsent  call the function when the key is absent
     * @param ifPresent call the function when the key is present
     * @return the value now associated with the key (null if none), or the present value when
     *         the function was not called
     */
    private V update(K key, BiFunction<? super K, ? super V, ? extends V> function, boolean ifAbsent, boolean ifPresent) {
        Objects.requireNonNull(key);
        try (ExternalMapQueryContext<K, V, ?> c = map.queryContext(key)) {
            c.updateLock().lock();
            MapEntry<K, V> entry = c.entry();
            V old = entry == null ? null : entry.value().getUsing(null);
            if ((old == null && !ifAbsent) || (old != null && !ifPresent)) {
                return old;
            }
            V updated = function.apply(key, old);
            if (updated == null) {
                if (entry != null) {
                    c.remove(entry);
                }
            } else if (entry == null) {
                c.insert(c.absentEntry(), c.wrapValueAsData(updated));
            } else {
                c.replaceValue(entry, c.wrapValueAsData(updated));
            }
            return updated;
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public int size() {
        try {
            return map.size();
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public boolean isEmpty() {
        try {
            return map.isEmpty();
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public void clear() {
        try {
            map.clear();
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** Weakly consistent, segment by segment; {@code Entry.setValue} and removal write through. */
    @Override
    public Set<Entry<K, V>> entrySet() {
        return new TranslatedSet<>(map.entrySet(), this::translate);
    }

    @Override
    public Set<K> keySet() {
        return new TranslatedSet<>(map.keySet(), this::translate);
    }

    @Override
    public Collection<V> values() {
        return new TranslatedCollection<>(map.values(), this::translate);
    }

    /** A view of Chronicle's whose failures (a dead lock holder, a closed dict) are translated. */
    private static class TranslatedCollection<E> extends AbstractCollection<E> {
        final Collection<E> view;
        final UnaryOperator<RuntimeException> translate;

        TranslatedCollection(Collection<E> view, UnaryOperator<RuntimeException> translate) {
            this.view = view;
            this.translate = translate;
        }

        @Override
        public Iterator<E> iterator() {
            try {
                Iterator<E> it = view.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        try {
                            return it.hasNext();
                        } catch (RuntimeException e) {
                            throw translate.apply(e);
                        }
                    }

                    @Override
                    public E next() {
                        try {
                            return it.next();
                        } catch (RuntimeException e) {
                            throw translate.apply(e);
                        }
                    }

                    @Override
                    public void remove() {
                        try {
                            it.remove();
                        } catch (RuntimeException e) {
                            throw translate.apply(e);
                        }
                    }
                };
            } catch (RuntimeException e) {
                throw translate.apply(e);
            }
        }

        @Override
        public int size() {
            try {
                return view.size();
            } catch (RuntimeException e) {
                throw translate.apply(e);
            }
        }

        @Override
        public boolean contains(Object o) {
            try {
                return view.contains(o);
            } catch (RuntimeException e) {
                throw translate.apply(e);
            }
        }

        @Override
        public boolean remove(Object o) {
            try {
                return view.remove(o);
            } catch (RuntimeException e) {
                throw translate.apply(e);
            }
        }
    }

    private static final class TranslatedSet<E> extends TranslatedCollection<E> implements Set<E> {
        TranslatedSet(Set<E> view, UnaryOperator<RuntimeException> translate) {
            super(view, translate);
        }

        @Override
        public boolean equals(Object o) {
            return o == this || (o instanceof Set<?> other && other.size() == size() && containsAll(other));
        }

        @Override
        public int hashCode() {
            int h = 0;
            for (E e : this) {
                h += e == null ? 0 : e.hashCode();
            }
            return h;
        }
    }

    // ---- lifecycle ----

    /**
     * Repairs the dict after a process died while writing to it: resets its segment locks and
     * fixes a half-written entry, in place (Chronicle Map's {@code recoverPersistedTo}), then
     * reattaches this JVM. Other JVMs keep their attachment and can carry on afterwards.
     *
     * <p>Call it from one process, while no other process (or thread of this one) is using the
     * dict: a lock that is reset while a live process holds it would let two writers into one
     * segment. The usual trigger is a {@link DictLockTimeoutException}.
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

    /** Detaches this JVM from the dict (the file stays until its Manager shuts down); idempotent. */
    @Override
    public void close() {
        map.close();
    }

    /** This JVM's Chronicle Map, for tests that need to hold a segment lock on purpose. */
    ChronicleMap<K, V> chronicleMap() {
        return map;
    }

    /** Whether this JVM has detached ({@link #close()}) or its manager has shut down. */
    public boolean isClosed() {
        return map.isClosed();
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        checkTypes(keyClass, valueClass);
        File file = new File(path);
        if (!file.isFile() || file.length() == 0) {
            throw new IllegalStateException("SharedDict file " + path + " is gone: its Manager has shut down");
        }
        map = open(file, keyClass, valueClass, options);
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
            return new DictLockTimeoutException("a lock of SharedDict " + path + " was not released within "
                    + ChronicleSupport.lockTimeoutSeconds() + " s: probably a process died while writing to it. "
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
