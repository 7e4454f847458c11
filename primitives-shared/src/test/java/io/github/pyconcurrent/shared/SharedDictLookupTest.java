package io.github.pyconcurrent.shared;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SharedDict's get ({@link ChronicleLookup}): it takes the stripe of exactly the Chronicle
 * segment it searches, for every key type, and reads what Chronicle's own get reads.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedDictLookupTest extends ManagerTestBase {
    private static final int KEYS = 5_000;

    @Test
    void theFastLookupIsInUse() {
        assertTrue(ChronicleLookup.AVAILABLE, "Chronicle Map's tieredValue/getClose not found: get fell back to a query context");
    }

    @Test
    void stringKeys() {
        check(String.class, i -> "key-" + i + (i % 7 == 0 ? "-é€" : ""), i -> "value-" + i);
    }

    @Test
    void integerKeys() {
        check(Integer.class, i -> i * 7919 - 1_000_000, i -> i);
    }

    @Test
    void longKeys() {
        check(Long.class, i -> (long) i * 0x9E3779B97F4A7C15L, i -> -i);
    }

    @Test
    void doubleKeys() {
        check(Double.class, i -> i / 3.0 - 17, i -> i * 0.5);
    }

    @Test
    void byteArrayKeys() {
        SharedDict<byte[], byte[]> dic = manager.dict(byte[].class, byte[].class,
                DictOptions.defaults().entries(4 * KEYS));
        ChronicleMap<byte[], byte[]> chronicle = dic.chronicleMap();
        Set<Integer> segments = new HashSet<>();
        for (int i = 0; i < KEYS; i++) {
            byte[] key = ("k" + i).getBytes(StandardCharsets.UTF_8);
            byte[] value = {(byte) i, (byte) (i >> 8)};
            if (i % 2 == 0) {
                dic.put(key, value);
            }
            int stripe = dic.stripeOf(key);
            assertEquals(chronicleSegment(chronicle, key), stripe, () -> "key " + new String(key, StandardCharsets.UTF_8));
            segments.add(stripe);
            if (i % 2 == 0) {
                assertArrayEquals(value, dic.get(key));
            } else {
                assertNull(dic.get(key));
            }
            assertArrayEquals(chronicle.get(key), dic.get(key));
        }
        assertEquals(dic.stripes().stripes(), segments.size(), "the keys fall in every segment");
    }

    /**
     * For {@link #KEYS} keys, half of them present: the stripe a get takes is Chronicle's segment
     * of the key, and get returns what Chronicle's own get returns (null for an absent key).
     */
    private <K, V> void check(Class<K> keyClass, IntFunction<K> key, IntFunction<V> value) {
        @SuppressWarnings("unchecked")
        Class<V> valueClass = (Class<V>) value.apply(0).getClass();
        SharedDict<K, V> dic = manager.dict(keyClass, valueClass, DictOptions.defaults().entries(4 * KEYS));
        ChronicleMap<K, V> chronicle = dic.chronicleMap();
        Set<Integer> segments = new HashSet<>();
        for (int i = 0; i < KEYS; i++) {
            K k = key.apply(i);
            if (i % 2 == 0) {
                dic.put(k, value.apply(i));
            }
            int stripe = dic.stripeOf(k);
            assertEquals(chronicleSegment(chronicle, k), stripe, () -> "key " + k);
            segments.add(stripe);
            assertEquals(i % 2 == 0 ? value.apply(i) : null, dic.get(k), () -> "key " + k);
            assertEquals(chronicle.get(k), dic.get(k), () -> "key " + k);
        }
        assertEquals(dic.stripes().stripes(), segments.size(), "the keys fall in every segment");
        assertEquals(KEYS / 2, dic.size());
    }

    private static <K> int chronicleSegment(ChronicleMap<K, ?> chronicle, K key) {
        try (ExternalMapQueryContext<K, ?, ?> c = chronicle.queryContext(key)) {
            return c.segmentIndex();
        }
    }
}
