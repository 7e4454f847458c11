package io.github.pyconcurrent.cluster;

import com.hazelcast.map.IMap;
import io.github.pyconcurrent.multiprocessing.SerializableFunction;
import java.io.Serializable;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A dict shared by every member and client of a {@link Cluster}: Python's {@code manager.dict()}
 * served over TCP, as a {@link ConcurrentMap} on Hazelcast's {@code IMap}, with the methods and
 * atomicity of primitives-shared's {@code SharedDict}.
 *
 * <pre>{@code
 * ClusterDict<String, Integer> hits = cluster.dict("hits", String.class, Integer.class);
 * hits.merge("/index", 1, Integer::sum);              // atomic across every JVM of the cluster
 * hits.putIfAbsent("/about", 0);
 * }</pre>
 *
 * <h2>Atomicity</h2>
 * {@code putIfAbsent}, {@code replace} and the two-argument {@code remove} are Hazelcast's own
 * atomic operations. {@code compute}, {@code computeIfAbsent}, {@code computeIfPresent} and
 * {@code merge} are never a read followed by a racing write:
 * <ul>
 *   <li>given a serializable function (a lambda where this class's {@link SerializableBiFunction}
 *       / {@code SerializableFunction} overloads are chosen, i.e. on a {@code ClusterDict}
 *       variable), it is shipped in an entry processor ({@link Remap}) and runs on the member
 *       that owns the key, with the entry locked: one round trip. Its class must be on that
 *       member's class path and admitted by the deserialization filter;</li>
 *   <li>given any other function (e.g. through a {@code ConcurrentMap} variable), the key is
 *       locked cluster-wide, read, computed here, written and unlocked. Hazelcast makes every
 *       other write of a locked key wait, so this is atomic too, at three round trips.</li>
 * </ul>
 * Either way the function runs exactly once per call.
 *
 * <h2>Durability</h2>
 * Each entry has {@link ClusterOptions#backupCount()} synchronous backups on other members
 * (default 1), so losing one member loses no entry.
 *
 * <p><b>Differences:</b> {@code keySet()}, {@code values()} and {@code entrySet()} are snapshots
 * (Hazelcast's), not live views, and cannot be modified; {@code null} keys and values are refused
 * ({@link NullPointerException}) as in every {@code ConcurrentMap}. Keys and values must be
 * serializable and admitted by the cluster's deserialization filter; keys are compared by their
 * serialized form.
 *
 * <p>Memory consistency: as {@code ConcurrentHashMap}'s, across JVMs: a write happens-before a
 * later read that sees it, in any member or client.
 *
 * @param <K> the type of the keys
 * @param <V> the type of the values
 */
public final class ClusterDict<K, V> implements ConcurrentMap<K, V> {
    private final IMap<K, V> map;
    private final Class<K> keyType;
    private final Class<V> valueType;

    ClusterDict(IMap<K, V> map, Class<K> keyType, Class<V> valueType) {
        this.map = map;
        this.keyType = Objects.requireNonNull(keyType, "keyType");
        this.valueType = Objects.requireNonNull(valueType, "valueType");
    }

    // ---------------------------------------------------------------- reads and plain writes

    @Override
    public int size() {
        return map.size();
    }

    @Override
    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        return map.containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        return map.containsValue(value);
    }

    @Override
    public V get(Object key) {
        return map.get(key);
    }

    @Override
    public V put(K key, V value) {
        return map.put(key(key), value(value));
    }

    @Override
    public V remove(Object key) {
        return map.remove(key);
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        m.forEach((k, v) -> {
            key(k);
            value(v);
        });
        map.putAll(m);
    }

    @Override
    public void clear() {
        map.clear();
    }

    /** A snapshot of the keys. */
    @Override
    public Set<K> keySet() {
        return map.keySet();
    }

    /** A snapshot of the values. */
    @Override
    public Collection<V> values() {
        return map.values();
    }

    /** A snapshot of the entries. */
    @Override
    public Set<Entry<K, V>> entrySet() {
        return map.entrySet();
    }

    // ---------------------------------------------------------------- atomic by Hazelcast

    @Override
    public V putIfAbsent(K key, V value) {
        return map.putIfAbsent(key(key), value(value));
    }

    @Override
    public boolean remove(Object key, Object value) {
        return map.remove(key, value);
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return map.replace(key(key), value(oldValue), value(newValue));
    }

    @Override
    public V replace(K key, V value) {
        return map.replace(key(key), value(value));
    }

    // ---------------------------------------------------------------- atomic through an entry processor or the key's lock

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> fn) {
        return remap(Remap.Kind.COMPUTE, key, fn, null);
    }

    /**
     * As {@link #compute(Object, BiFunction)}; {@code fn} runs on the key's owner member.
     *
     * @param key the key, not null
     * @param fn the function of the key and its value (or null), run once on the key's owner
     * @return the new value, or null if there is none
     */
    public V compute(K key, SerializableBiFunction<? super K, ? super V, ? extends V> fn) {
        return remap(Remap.Kind.COMPUTE, key, fn, null);
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> fn) {
        return remap(Remap.Kind.IF_ABSENT, key, fn, null);
    }

    /**
     * As {@link #computeIfAbsent(Object, Function)}; {@code fn} runs on the key's owner member.
     *
     * @param key the key, not null
     * @param fn the function of the key, run once on the key's owner if the key is absent
     * @return the value now mapped, or null if there is none
     */
    public V computeIfAbsent(K key, SerializableFunction<? super K, ? extends V> fn) {
        return remap(Remap.Kind.IF_ABSENT, key, fn, null);
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> fn) {
        return remap(Remap.Kind.IF_PRESENT, key, fn, null);
    }

    /**
     * As {@link #computeIfPresent(Object, BiFunction)}; {@code fn} runs on the key's owner member.
     *
     * @param key the key, not null
     * @param fn the function of the key and its value, run once on the key's owner if the key is present
     * @return the new value, or null if there is none
     */
    public V computeIfPresent(K key, SerializableBiFunction<? super K, ? super V, ? extends V> fn) {
        return remap(Remap.Kind.IF_PRESENT, key, fn, null);
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> fn) {
        return remap(Remap.Kind.MERGE, key, fn, value(value));
    }

    /**
     * As {@link #merge(Object, Object, BiFunction)}; {@code fn} runs on the key's owner member.
     *
     * @param key the key, not null
     * @param value the value to put if the key is absent, not null
     * @param fn the function of the old value and {@code value}, run once on the key's owner if the key is present
     * @return the new value, or null if there is none
     */
    public V merge(K key, V value, SerializableBiFunction<? super V, ? super V, ? extends V> fn) {
        return remap(Remap.Kind.MERGE, key, fn, value(value));
    }

    private V remap(Remap.Kind kind, K key, Object fn, V value) {
        key(key);
        Objects.requireNonNull(fn, "function");
        if (fn instanceof Serializable) {
            return valueType.cast(map.executeOnKey(key, new Remap<K, V>(kind, fn, value)));
        }
        // Not shippable: compute here, under the key's cluster-wide lock.
        map.lock(key);
        try {
            V old = map.get(key);
            V next = Remap.apply(kind, fn, value, key, old);
            if (next != old) {
                if (next == null) {
                    map.delete(key);
                } else {
                    map.set(key, value(next));
                }
            }
            return next;
        } finally {
            map.unlock(key);
        }
    }

    // ---------------------------------------------------------------- misc

    /**
     * The dict's name in the cluster.
     *
     * @return the dict's name in the cluster
     */
    public String name() {
        return map.getName();
    }

    private K key(K key) {
        return keyType.cast(Objects.requireNonNull(key, "a cluster dict holds no null key"));
    }

    private V value(V value) {
        return valueType.cast(Objects.requireNonNull(value, "a cluster dict holds no null value"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Map<?, ?> m && Map.copyOf(map).equals(m);
    }

    @Override
    public int hashCode() {
        return Map.copyOf(map).hashCode();
    }

    @Override
    public String toString() {
        return "<ClusterDict " + map.getName() + ">";
    }
}
