package io.github.pyconcurrent.shared;

import java.io.Serializable;

/**
 * How big a {@link SharedDict} is, and how its Serializable values are filtered when read back.
 * Immutable; every setter returns a changed copy.
 *
 * <pre>{@code
 * var opts = DictOptions.defaults().entries(5_000_000).averageValueSize(200);
 * try (var manager = Manager.start()) {
 *     SharedDict<String, byte[]> blobs = manager.dict(String.class, byte[].class, opts);
 * }
 * }</pre>
 *
 * <p>Python's {@code Manager().dict()} grows without bound inside the manager's server process.
 * A SharedDict is a fixed-capacity Chronicle Map file in /dev/shm, sized when it is created: the
 * file is sparse, so a generous capacity costs address space, not memory, until it is used. When
 * the dict is full (more than about {@code entries} entries, or entries much larger than the
 * average sizes) an operation fails with an {@link IllegalStateException} or
 * {@link IllegalArgumentException} whose message names the setter to raise here.
 *
 * @param entries          how many entries the dict must hold (Chronicle tolerates some more)
 * @param averageKeySize   expected serialized key size in bytes, for String, byte[] keys
 *                         (ignored for fixed-size keys: Integer, Long, Double)
 * @param averageValueSize expected serialized value size in bytes, for String, byte[] and
 *                         Serializable values (ignored for fixed-size values)
 * @param serialFilter     the {@link java.io.ObjectInputFilter} pattern applied when a
 *                         Serializable value is read back, or null for the default (see
 *                         the codec: java.base and the value class's package)
 */
public record DictOptions(long entries, double averageKeySize, double averageValueSize, String serialFilter)
        implements Serializable {

    /** Default capacity: a million entries (sparse file: unused capacity costs no memory). */
    public static final long DEFAULT_ENTRIES = 1_000_000;
    public static final double DEFAULT_AVERAGE_KEY_SIZE = 16;
    public static final double DEFAULT_AVERAGE_VALUE_SIZE = 64;

    /**
     * Checks the sizes.
     *
     * @param entries the number of entries the dict must hold, positive
     * @param averageKeySize the average serialized size of a variable-size key, in bytes, positive
     * @param averageValueSize the average serialized size of a variable-size value, in bytes, positive
     * @param serialFilter the deserialization filter's pattern, or null for the default
     * @throws IllegalArgumentException if a number is not positive
     */
    public DictOptions {
        if (entries <= 0) {
            throw new IllegalArgumentException("entries must be positive: " + entries);
        }
        if (!(averageKeySize > 0) || !(averageValueSize > 0)) {
            throw new IllegalArgumentException("average sizes must be positive: key " + averageKeySize
                    + ", value " + averageValueSize);
        }
    }

    /**
     * A million entries, 16-byte keys and 64-byte values on average, the default filter.
     *
     * @return the default options
     */
    public static DictOptions defaults() {
        return new DictOptions(DEFAULT_ENTRIES, DEFAULT_AVERAGE_KEY_SIZE, DEFAULT_AVERAGE_VALUE_SIZE, null);
    }

    /**
     * The number of entries the dict must hold.
     *
     * @param entries the number of entries, positive
     * @return new options with {@code entries} and the rest of these
     * @throws IllegalArgumentException if {@code entries} is not positive
     */
    public DictOptions entries(long entries) {
        return new DictOptions(entries, averageKeySize, averageValueSize, serialFilter);
    }

    /**
     * The average serialized size of a variable-size key (String, byte[]), in bytes.
     *
     * @param bytes the average key size, positive
     * @return new options with that key size and the rest of these
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public DictOptions averageKeySize(double bytes) {
        return new DictOptions(entries, bytes, averageValueSize, serialFilter);
    }

    /**
     * The average serialized size of a variable-size value (String, byte[], Serializable), in bytes.
     *
     * @param bytes the average value size, positive
     * @return new options with that value size and the rest of these
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public DictOptions averageValueSize(double bytes) {
        return new DictOptions(entries, averageKeySize, bytes, serialFilter);
    }

    /**
     * The {@link java.io.ObjectInputFilter.Config#createFilter(String)} pattern for Serializable
     * values, replacing the default one (which allows java.base and the value class's package).
     *
     * @param pattern a filter pattern, as {@code jdk.serialFilter} takes
     * @return new options with that filter and the rest of these
     * @throws IllegalArgumentException if {@code pattern} is malformed
     */
    public DictOptions serialFilter(String pattern) {
        java.io.ObjectInputFilter.Config.createFilter(pattern); // fail now on a malformed pattern
        return new DictOptions(entries, averageKeySize, averageValueSize, pattern);
    }
}
