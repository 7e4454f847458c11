package io.github.pyconcurrent.shared;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.shared.internal.ShmRegistry;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SharedDict's map semantics, codec, sizing errors and lifecycle, within one JVM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedDictTest extends ManagerTestBase {
    /** A value type of the test's own package: allowed by the codec's default filter. */
    record Point(int x, int y, List<String> tags) implements Serializable {}

    @Test
    void chronicleUsesTheValueClassCompiledAtBuildTimeNotItsOwnJavac() throws Exception {
        SharedDict<Integer, Integer> dic = manager.dict(Integer.class, Integer.class);
        dic.put(1, 1);
        // Defined by ChronicleSupport from our resource (its protection domain is then Chronicle's
        // jar's); one Chronicle compiled itself would have none. And no class of Chronicle's
        // package is in our jar (a split package): it ships as bytes.
        Class<?> nativeClass = Class.forName("net.openhft.chronicle.hash.VanillaGlobalMutableState$$Native");
        assertEquals(Class.forName("net.openhft.chronicle.hash.VanillaGlobalMutableState").getProtectionDomain().getCodeSource(),
                nativeClass.getProtectionDomain().getCodeSource());
        assertNull(ChronicleSupport.class.getClassLoader().getResource("net/openhft/chronicle/hash/VanillaGlobalMutableState$$Native.class"));
    }

    @Test
    void behavesAsAMapOfIntegers() {
        SharedDict<Integer, Integer> dic = manager.dict(Integer.class, Integer.class);
        assertTrue(dic.isEmpty());
        assertNull(dic.put(1, 101));
        assertEquals(101, dic.put(1, 102));
        assertEquals(102, dic.get(1));
        assertNull(dic.get(2));
        assertEquals(7, dic.getOrDefault(2, 7));
        assertTrue(dic.containsKey(1));
        assertTrue(dic.containsValue(102));
        assertEquals(1, dic.size());
        assertEquals(102, dic.remove(1));
        assertTrue(dic.isEmpty());
    }

    /** Python's dict holds None; this one holds no null, and says so rather than throwing a bare NPE. */
    @Test
    void nullKeysAndValuesAreRefusedByName() {
        SharedDict<String, String> dic = manager.dict(String.class, String.class);
        for (org.junit.jupiter.api.function.Executable misuse : List.<org.junit.jupiter.api.function.Executable>of(
                () -> dic.put(null, "v"), () -> dic.put("k", null), () -> dic.get(null),
                () -> dic.putIfAbsent("k", null), () -> dic.replace("k", "v", null), () -> dic.remove(null))) {
            NullPointerException e = assertThrows(NullPointerException.class, misuse);
            assertTrue(e.getMessage().startsWith("SharedDict does not hold null keys or values"), e.getMessage());
        }
        assertTrue(dic.isEmpty());
    }

    @Test
    void nativeTypesRoundTrip() {
        SharedDict<String, String> strings = manager.dict(String.class, String.class);
        strings.put("héllo", "wörld");
        assertEquals("wörld", strings.get("héllo"));

        SharedDict<Long, Double> numbers = manager.dict(Long.class, Double.class);
        numbers.put(Long.MAX_VALUE, Math.PI);
        assertEquals(Math.PI, numbers.get(Long.MAX_VALUE));

        SharedDict<byte[], byte[]> bytes = manager.dict(byte[].class, byte[].class);
        bytes.put(new byte[] {1, 2}, new byte[] {3, 4, 5});
        assertArrayEquals(new byte[] {3, 4, 5}, bytes.get(new byte[] {1, 2}), "byte[] keys compare by content");
    }

    @Test
    void atomicConditionalOperationsFollowConcurrentMap() {
        SharedDict<String, Integer> dic = manager.dict(String.class, Integer.class);
        assertNull(dic.putIfAbsent("a", 1));
        assertEquals(1, dic.putIfAbsent("a", 2));
        assertFalse(dic.replace("a", 5, 6));
        assertTrue(dic.replace("a", 1, 3));
        assertEquals(3, dic.replace("a", 4));
        assertNull(dic.replace("b", 4), "replace of an absent key does nothing");
        assertFalse(dic.containsKey("b"));
        assertFalse(dic.remove("a", 3));
        assertTrue(dic.remove("a", 4));
        assertTrue(dic.isEmpty());
    }

    @Test
    void computeAndMergeFollowMapSemantics() {
        SharedDict<String, Integer> dic = manager.dict(String.class, Integer.class);
        assertEquals(1, dic.merge("n", 1, Integer::sum));
        assertEquals(3, dic.merge("n", 2, Integer::sum));
        assertNull(dic.merge("n", 0, (a, b) -> null), "merge to null removes");
        assertFalse(dic.containsKey("n"));

        assertEquals(10, dic.compute("c", (k, v) -> v == null ? 10 : v + 1));
        assertEquals(11, dic.compute("c", (k, v) -> v == null ? 10 : v + 1));
        assertNull(dic.compute("c", (k, v) -> null));
        assertFalse(dic.containsKey("c"));

        assertEquals(5, dic.computeIfAbsent("x", k -> 5));
        assertEquals(5, dic.computeIfAbsent("x", k -> 6), "present: the function is not called");
        assertNull(dic.computeIfPresent("y", (k, v) -> 1), "absent: the function is not called");
        assertFalse(dic.containsKey("y"));
        assertEquals(6, dic.computeIfPresent("x", (k, v) -> v + 1));

        assertThrows(ArithmeticException.class, () -> dic.compute("x", (k, v) -> v / 0));
        assertEquals(6, dic.get("x"), "a failing function changes nothing and releases the lock");
        assertEquals(7, dic.merge("x", 1, Integer::sum), "the segment is usable after the failure");
    }

    @Test
    void mergeIsAtomicAcrossThreads() throws InterruptedException {
        SharedDict<Integer, Integer> dic = manager.dict(Integer.class, Integer.class);
        int threads = 4;
        int perThread = 5_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    dic.merge(0, 1, Integer::sum);
                    dic.compute(1, (k, v) -> v == null ? 1 : v + 1);
                }
            }));
        }
        start.countDown();
        for (Thread w : workers) {
            assertTrue(w.join(java.time.Duration.ofSeconds(50)));
        }
        assertEquals(threads * perThread, dic.get(0));
        assertEquals(threads * perThread, dic.get(1));
    }

    @Test
    void iterationSeesEveryEntry() {
        SharedDict<Integer, String> dic = manager.dict(Integer.class, String.class);
        Map<Integer, String> expected = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            dic.put(i, "v" + i);
            expected.put(i, "v" + i);
        }
        Map<Integer, String> seen = new HashMap<>();
        for (Map.Entry<Integer, String> e : dic.entrySet()) {
            assertNull(seen.put(e.getKey(), e.getValue()), "each key once");
        }
        assertEquals(expected, seen);
        assertEquals(expected.keySet(), new java.util.HashSet<>(dic.keySet()));
        assertEquals(expected, dic, "Map.equals against a HashMap");
        dic.keySet().removeIf(k -> k % 2 == 0);
        assertEquals(500, dic.size(), "removal through the key set writes through");
    }

    @Test
    void serializableValuesGoThroughTheCodec() {
        SharedDict<String, Point> dic = manager.dict(String.class, Point.class);
        Point p = new Point(1, 2, List.of("a", "b"));
        dic.put("p", p);
        Point back = dic.get("p");
        assertEquals(p, back);
        assertNotSame(back, dic.get("p"), "each get is a copy, as with Python's proxies");
        assertEquals(new Point(2, 2, List.of()), dic.merge("p", new Point(1, 0, List.of()),
                (a, b) -> new Point(a.x() + b.x(), a.y() + b.y(), List.of())));
    }

    @Test
    void codecFilterRejectsClassesOutsideItsPattern() {
        SharedDict<String, Serializable> dic = manager.dict(String.class, Serializable.class,
                DictOptions.defaults().serialFilter("java.base/*;!*"));
        dic.put("ok", "a string is java.base");
        assertEquals("a string is java.base", dic.get("ok"));
        dic.put("bad", new Point(1, 2, List.of()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> dic.get("bad"));
        assertTrue(e.getMessage().contains("DictOptions.serialFilter"), e.getMessage());
    }

    @Test
    void fullDictNamesTheOptionToRaise() {
        SharedDict<Integer, Integer> dic = manager.dict(Integer.class, Integer.class, DictOptions.defaults().entries(100));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            for (int i = 0; i < 1_000_000; i++) {
                dic.put(i, i);
            }
        });
        assertTrue(e.getMessage().contains("DictOptions.entries(long)"), e.getMessage());
        assertTrue(dic.size() >= 100, "it held at least what it was sized for: " + dic.size());
    }

    @Test
    void oversizedValueNamesTheOptionToRaise() {
        SharedDict<Integer, byte[]> dic = manager.dict(Integer.class, byte[].class,
                DictOptions.defaults().entries(1_000).averageValueSize(8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dic.put(1, new byte[1 << 20]));
        assertTrue(e.getMessage().contains("DictOptions.averageValueSize(double)"), e.getMessage());
    }

    @Test
    void unsupportedKeyTypeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> manager.dict(Point.class, Integer.class));
    }

    @Test
    void fileIsPrivateAndFollowsTheOwnershipConvention() throws IOException {
        SharedDict<Integer, Integer> dic = manager.dict(Integer.class, Integer.class);
        Path file = Path.of(dic.path());
        assertEquals(ShmRegistry.DIR, file.getParent());
        assertTrue(file.getFileName().toString().startsWith(ShmRegistry.OWNED_PREFIX), file.toString());
        assertTrue(ShmRegistry.isOwned(file));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
    }

    @Test
    void shutdownDetachesAndDeletesTheFile() {
        SharedDict<Integer, Integer> dic = manager.dict(Integer.class, Integer.class);
        dic.put(1, 1);
        Path file = Path.of(dic.path());
        manager.close();
        assertTrue(manager.isShutdown());
        assertFalse(Files.exists(file));
        assertTrue(dic.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> dic.get(1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> manager.dict(Integer.class, Integer.class));
        manager.close(); // idempotent
    }

    @Test
    void handleDeserializedAttachesToTheSameDict() throws Exception {
        SharedDict<String, Integer> dic = manager.dict(String.class, Integer.class);
        dic.put("a", 1);
        try (SharedDict<String, Integer> other = roundTrip(dic)) {
            assertNotSame(dic, other);
            assertEquals(1, other.get("a"));
            other.put("b", 2);
            assertEquals(2, dic.get("b"));
        }
        assertEquals(1, dic.get("a"), "closing another attachment leaves this one open");
    }

    @Test
    void handleOfAShutDownManagerFailsClearly() throws Exception {
        SharedDict<String, Integer> dic = manager.dict(String.class, Integer.class);
        byte[] bytes = ChildJvm.serialize(dic);
        manager.shutdown();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ChildJvm.deserialize(bytes));
        assertTrue(e.getMessage().contains("Manager has shut down"), e.getMessage());
    }

    @Test
    void recoverKeepsTheData() {
        SharedDict<Integer, Integer> dic = manager.dict(Integer.class, Integer.class);
        for (int i = 0; i < 100; i++) {
            dic.put(i, i);
        }
        dic.recover();
        assertEquals(100, dic.size());
        assertEquals(42, dic.get(42));
        dic.put(100, 100);
        assertEquals(101, dic.size());
    }

    @Test
    void chronicleRunsWithoutAnalyticsOrBanner() {
        manager.dict(Integer.class, Integer.class).put(1, 1);
        assertEquals("true", System.getProperty("chronicle.analytics.disable"));
        AtomicInteger suspicious = new AtomicInteger();
        Thread.getAllStackTraces().keySet().forEach(t -> {
            String n = t.getName().toLowerCase(java.util.Locale.ROOT);
            if (n.contains("analytic") || n.contains("disk~monitor")) {
                suspicious.incrementAndGet();
            }
        });
        assertEquals(0, suspicious.get(), "no analytics or disk-monitor thread");
    }

    private static <T> T roundTrip(T object) {
        return ChildJvm.deserialize(ChildJvm.serialize(object));
    }
}
