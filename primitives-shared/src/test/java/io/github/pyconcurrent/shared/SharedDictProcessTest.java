package io.github.pyconcurrent.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SharedDict across real JVMs: attaching by handle, concurrent writers, and a writer killed by SIGKILL. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedDictProcessTest extends ManagerTestBase {
    record Point(int x, int y, List<String> tags) implements java.io.Serializable {}

    /** The tutorial's manage.dict(): two processes each set dic[i] = 100 + i; the parent sees both. */
    @Test
    void tutorialTwoProcessesFillOneDict() {
        SharedDict<Integer, Integer> dic = manager.dict(Integer.class, Integer.class);
        for (int i = 0; i < 2; i++) {
            int n = i;
            try (ChildJvm child = ChildJvm.run(() -> {
                dic.put(n, 100 + n);
                System.out.println(dic.values());
            })) {
                assertEquals(0, child.waitFor(CHILD_TIMEOUT), child::output);
            }
        }
        assertEquals(Map.of(0, 100, 1, 101), dic);
    }

    /** Two JVMs merge into the same counters at the same time: no increment is lost. */
    @Test
    void twoJvmsMergeConcurrentlyWithoutLosingUpdates() {
        SharedDict<String, Integer> dic = manager.dict(String.class, Integer.class);
        int perChild = 20_000;
        ChildJvm.Task worker = () -> {
            System.out.println("ready");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!dic.containsKey("go")) { // a flag in the dict itself: both children start together
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no go signal");
                }
                Thread.onSpinWait();
            }
            for (int i = 0; i < perChild; i++) {
                dic.merge("merged", 1, Integer::sum);
                dic.compute("computed", (k, v) -> v == null ? 1 : v + 1);
            }
        };
        try (ChildJvm a = ChildJvm.run(worker); ChildJvm b = ChildJvm.run(worker)) {
            assertTrue(a.awaitOutput("ready", CHILD_TIMEOUT), a::output);
            assertTrue(b.awaitOutput("ready", CHILD_TIMEOUT), b::output);
            dic.put("go", 1);
            assertEquals(0, a.waitFor(CHILD_TIMEOUT), a::output);
            assertEquals(0, b.waitFor(CHILD_TIMEOUT), b::output);
        }
        assertEquals(2 * perChild, dic.get("merged"));
        assertEquals(2 * perChild, dic.get("computed"));
    }

    /** A Serializable value written in a child goes through the codec and reads back equal here. */
    @Test
    void serializableValueCrossesProcesses() {
        SharedDict<String, Point> dic = manager.dict(String.class, Point.class);
        dic.put("from-parent", new Point(1, 1, List.of("p")));
        try (ChildJvm child = ChildJvm.run(() -> {
            Point p = dic.get("from-parent");
            dic.put("from-child", new Point(p.x() + 1, p.y() + 1, List.of("c")));
        })) {
            assertEquals(0, child.waitFor(CHILD_TIMEOUT), child::output);
        }
        assertEquals(new Point(2, 2, List.of("c")), dic.get("from-child"));
    }

    /**
     * A Chronicle segment lock held outside SharedDict's stripes (only code that bypasses
     * SharedDict, or a corrupted file, can do that), its holder killed: the next operation on that
     * segment fails with DictLockTimeoutException (after the bounded lock timeout, not forever),
     * and recover() makes the dict usable again with its data.
     */
    @Test
    void chronicleLockHeldOutsideTheStripesGivesAClearErrorThenRecovers() {
        SharedDict<Integer, Integer> dic = manager.dict(Integer.class, Integer.class, DictOptions.defaults().entries(10_000));
        for (int i = 0; i < 100; i++) {
            dic.put(i, i);
        }
        try (ChildJvm child = ChildJvm.run(() -> {
            ExternalMapQueryContext<Integer, Integer, ?> c = dic.chronicleMap().queryContext(7);
            c.writeLock().lock();
            System.out.println("locked");
            new java.util.concurrent.CountDownLatch(1).await(); // hold it until killed
        })) {
            assertTrue(child.awaitOutput("locked", CHILD_TIMEOUT), child::output);
            child.kill();
        }
        DictLockTimeoutException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(DictLockTimeoutException.class, () -> dic.put(7, 70)));
        assertTrue(e.getMessage().contains("SharedDict.recover()"), e.getMessage());
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(DictLockTimeoutException.class,
                () -> dic.keySet().forEach(k -> { }), "iteration reaches the locked segment too"));

        dic.recover();
        assertEquals(7, dic.get(7));
        assertEquals(7, dic.put(7, 70));
        assertEquals(70, dic.get(7));
        assertEquals(100, dic.size());
    }

    /**
     * The realistic case: SIGKILL lands somewhere in a stream of writes. Every later operation
     * succeeds (the dict heals by itself, see SharedDictHealTest), within a bounded time.
     */
    @Test
    void writerKilledMidStreamNeverHangsTheOthers() {
        int keys = 1_000;
        SharedDict<Integer, String> dic = manager.dict(Integer.class, String.class, DictOptions.defaults().entries(10_000));
        try (ChildJvm child = ChildJvm.run(() -> {
            for (long i = 0; ; i++) {
                dic.put((int) (i % keys), "value-" + i);
                if (i == 10_000) {
                    System.out.println("writing");
                }
            }
        })) {
            assertTrue(child.awaitOutput("writing", CHILD_TIMEOUT), child::output);
            child.kill();
        }
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int k = 0; k < keys; k++) {
                dic.put(k, "after-" + k);
            }
        });
        for (int k = 0; k < keys; k++) {
            dic.put(k, "recovered-" + k);
        }
        for (int k = 0; k < keys; k++) {
            assertEquals("recovered-" + k, dic.get(k));
        }
        assertEquals(keys, dic.size());
    }
}
