package io.github.pyconcurrent.cluster;

import com.hazelcast.map.EntryProcessor;
import java.io.Serial;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The entry processor behind {@link ClusterDict}'s {@code compute}, {@code computeIfAbsent},
 * {@code computeIfPresent} and {@code merge}: it runs on the member that owns the key, with the
 * entry locked, so the read, the user's function and the write are one atomic step cluster-wide.
 *
 * <p>Backups: Hazelcast runs an entry processor's {@link #getBackupProcessor() backup processor}
 * on each backup replica. Running the user's function again there could compute a different
 * value (a clock, a random number, a counter), so the backup is instead {@link Assign} of the
 * value the primary computed, or nothing when the entry did not change. Hazelcast asks for the
 * backup processor after {@link #process} ran, on the same instance, which is what makes the
 * transient fields below meaningful.
 *
 * @param <K> the type of the dict's keys
 * @param <V> the type of the dict's values
 */
final class Remap<K, V> implements EntryProcessor<K, V, V> {
    @Serial
    private static final long serialVersionUID = 1L;

    enum Kind { COMPUTE, IF_ABSENT, IF_PRESENT, MERGE }

    private final Kind kind;
    /** A BiFunction for COMPUTE, IF_PRESENT, MERGE; a Function for IF_ABSENT. Serializable. */
    private final Object fn;
    /** MERGE's value; null otherwise. */
    private final V value;

    // Set by process() on the primary; read by getBackupProcessor() right after, same thread.
    private transient boolean written;
    private transient V next;

    Remap(Kind kind, Object fn, V value) {
        this.kind = kind;
        this.fn = fn;
        this.value = value;
    }

    @Override
    public V process(Map.Entry<K, V> entry) {
        V old = entry.getValue();
        V result = apply(kind, fn, value, entry.getKey(), old);
        if (result != old) {
            entry.setValue(result); // null removes the entry
            written = true;
            next = result;
        }
        return result;
    }

    /** The ConcurrentMap rule of each method: what the entry becomes (null: absent), given what it was. */
    @SuppressWarnings("unchecked")
    static <K, V> V apply(Kind kind, Object fn, V value, K key, V old) {
        return switch (kind) {
            case COMPUTE -> ((BiFunction<? super K, ? super V, ? extends V>) fn).apply(key, old);
            case IF_ABSENT -> old != null ? old : ((Function<? super K, ? extends V>) fn).apply(key);
            case IF_PRESENT -> old == null ? null : ((BiFunction<? super K, ? super V, ? extends V>) fn).apply(key, old);
            case MERGE -> old == null ? value : ((BiFunction<? super V, ? super V, ? extends V>) fn).apply(old, value);
        };
    }

    @Override
    public EntryProcessor<K, V, V> getBackupProcessor() {
        return written ? new Assign<>(next) : null;
    }

    /**
     * Sets the entry to a value computed elsewhere (null: removes it): a deterministic backup.
     *
     * @param <K> the type of the dict's keys
     * @param <V> the type of the dict's values
     */
    static final class Assign<K, V> implements EntryProcessor<K, V, V> {
        @Serial
        private static final long serialVersionUID = 1L;
        private final V value;

        Assign(V value) {
            this.value = value;
        }

        @Override
        public V process(Map.Entry<K, V> entry) {
            entry.setValue(value);
            return value;
        }
    }
}
