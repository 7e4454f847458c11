package io.github.pyconcurrent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ClusterDict: ConcurrentMap behaviour, atomicity from several JVM roles, and durability when a member is lost. */
class ClusterDictTest {
    static final String NAME = TestClusters.uniqueName(ClusterDictTest.class);
    static int seed;
    static Cluster a;
    static Cluster b;
    static Cluster client;

    @BeforeAll
    static void start() {
        seed = TestClusters.freePort();
        a = Cluster.member(TestClusters.options(NAME, seed, seed).build());
        b = Cluster.member(TestClusters.options(NAME, TestClusters.freePort(), seed).build());
        client = Cluster.client(TestClusters.options(NAME, 0, seed).build());
    }

    @AfterAll
    static void stop() {
        for (Cluster c : new Cluster[] {client, b, a}) {
            if (c != null) {
                c.close();
            }
        }
        TestClusters.assertNothingLeft();
    }

    /** The ConcurrentMap methods see one dict from every member and client. */
    @Test
    void oneDictSeenFromEveryMemberAndClient() {
        ClusterDict<String, Integer> fromA = a.dict("basic", String.class, Integer.class);
        ConcurrentMap<String, Integer> fromClient = client.dict("basic", String.class, Integer.class);
        assertNull(fromA.put("x", 1));
        assertEquals(1, fromClient.get("x"));
        assertEquals(1, fromClient.putIfAbsent("x", 2));
        assertNull(fromClient.putIfAbsent("y", 2));
        assertTrue(b.dict("basic", String.class, Integer.class).replace("y", 2, 3));
        assertFalse(fromA.replace("y", 2, 4));
        assertEquals(3, fromA.get("y"));
        assertEquals(2, fromA.size());
        assertTrue(fromClient.containsKey("y"));
        assertFalse(fromClient.remove("y", 99));
        assertTrue(fromClient.remove("y", 3));
        assertEquals(1, fromA.remove("x"));
        assertTrue(fromA.isEmpty());
    }

    /** compute returning null removes; computeIfPresent on an absent key does nothing; computeIfAbsent keeps an existing value. */
    @Test
    void remappingFollowsTheConcurrentMapRules() {
        ClusterDict<String, Integer> d = a.dict("rules", String.class, Integer.class);
        assertNull(d.computeIfPresent("k", (k, v) -> v + 1));
        assertFalse(d.containsKey("k"));
        assertEquals(5, d.computeIfAbsent("k", k -> 5));
        assertEquals(5, d.computeIfAbsent("k", k -> 6));
        assertEquals(7, d.merge("k", 2, Integer::sum));
        assertNull(d.compute("k", (k, v) -> null));
        assertFalse(client.dict("rules", String.class, Integer.class).containsKey("k"));
    }

    /** merge with a serializable function (entry processor) from two members and a client at once loses no increment. */
    @Test
    void mergeIsAtomicAcrossTheCluster() throws Exception {
        List<ClusterDict<String, Integer>> views = List.of(
                a.dict("merge", String.class, Integer.class),
                b.dict("merge", String.class, Integer.class),
                client.dict("merge", String.class, Integer.class));
        hammer(4, 50, views, d -> d.merge("n", 1, Integer::sum));
        assertEquals(3 * 4 * 50, views.get(0).get("n"));
    }

    /** compute through the ConcurrentMap interface (a function that cannot be shipped) is atomic too, under the key's lock. */
    @Test
    void computeWithAPlainFunctionIsAtomic() throws Exception {
        BiFunction<String, Integer, Integer> plain = (k, v) -> v == null ? 1 : v + 1;
        List<ConcurrentMap<String, Integer>> views = List.of(
                a.dict("compute", String.class, Integer.class),
                client.dict("compute", String.class, Integer.class));
        hammer(4, 25, views, d -> d.compute("n", plain));
        assertEquals(2 * 4 * 25, views.get(1).get("n"));
    }

    /** A plain computeIfAbsent from many threads runs its function once: the key's lock makes check-and-set one step. */
    @Test
    void computeIfAbsentRunsTheFunctionOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        java.util.function.Function<String, Integer> plain = k -> calls.incrementAndGet();
        List<ConcurrentMap<String, Integer>> views = List.of(
                a.dict("once", String.class, Integer.class),
                b.dict("once", String.class, Integer.class));
        hammer(4, 5, views, d -> d.computeIfAbsent("k", plain));
        assertEquals(1, calls.get());
        assertEquals(1, views.get(0).get("k"));
    }

    /** Keys and values of the wrong class are refused before they reach the cluster. */
    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void wrongTypesAreRefused() {
        ConcurrentMap raw = a.dict("typed", String.class, Integer.class);
        assertThrows(ClassCastException.class, () -> raw.put("k", "not an int"));
        assertThrows(ClassCastException.class, () -> raw.put(1, 1));
        assertThrows(NullPointerException.class, () -> raw.put("k", null));
    }

    /** With one backup (the default), a member that crashes takes no entry with it. */
    @Test
    void losingAMemberLosesNoEntry() throws Exception {
        Cluster doomed = Cluster.member(TestClusters.options(NAME, TestClusters.freePort(), seed).build());
        try {
            CountDownLatch left = TestClusters.memberRemoved(a);
            ClusterDict<Integer, String> d = a.dict("durable", Integer.class, String.class);
            for (int i = 0; i < 300; i++) {
                d.put(i, "v" + i);
            }
            // Every backup in place (a blocking wait, not a poll), then crash.
            assertTrue(doomed.hazelcast().getPartitionService().forceLocalMemberToBeSafe(60, TimeUnit.SECONDS));
            doomed.hazelcast().getLifecycleService().terminate(); // no graceful hand-over: a crash
            assertTrue(left.await(60, TimeUnit.SECONDS), "the cluster never noticed the member was gone");
            ClusterDict<Integer, String> after = client.dict("durable", Integer.class, String.class);
            assertEquals(300, after.size());
            for (int i = 0; i < 300; i++) {
                assertEquals("v" + i, after.get(i), "entry " + i);
            }
        } finally {
            doomed.close();
        }
    }

    /** Runs {@code op} from {@code threads} threads per view, {@code times} each, all starting together. */
    static <D> void hammer(int threads, int times, List<D> views, java.util.function.Consumer<D> op) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (D view : views) {
            for (int t = 0; t < threads; t++) {
                all.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                        for (int i = 0; i < times; i++) {
                            op.accept(view);
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
        }
        go.countDown();
        for (Thread t : all) {
            assertTrue(t.join(Duration.ofSeconds(120)), "a worker thread hung");
        }
        assertEquals(List.of(), errors);
    }
}
