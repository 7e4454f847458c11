package io.github.pyconcurrent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.multiprocessing.AsyncResult;
import io.github.pyconcurrent.multiprocessing.PoolLike;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ClusterPool: the local Pool's contract (PoolLike) with two members as workers, used from a
 * client and from a member. Member death is MemberDeathTest's, with a real child JVM.
 */
class ClusterPoolTest {
    static final String NAME = TestClusters.uniqueName(ClusterPoolTest.class);
    static Cluster a;
    static Cluster b;
    static Cluster client;
    /** Released by terminateCancelsOutstandingTasks; the members run in this JVM, so a task can wait on it. */
    static final CountDownLatch RELEASE = new CountDownLatch(1);
    static final CountDownLatch BLOCKED = new CountDownLatch(1);

    @BeforeAll
    static void start() {
        int seed = TestClusters.freePort();
        a = Cluster.member(TestClusters.options(NAME, seed, seed).build());
        b = Cluster.member(TestClusters.options(NAME, TestClusters.freePort(), seed).build());
        client = Cluster.client(TestClusters.options(NAME, 0, seed).build());
    }

    @AfterAll
    static void stop() {
        RELEASE.countDown();
        for (Cluster c : new Cluster[] {client, b, a}) {
            if (c != null) {
                c.close();
            }
        }
        TestClusters.assertNothingLeft();
    }

    static Cluster from(String who) {
        return who.equals("client") ? client : a;
    }

    /** Code written against PoolLike runs unchanged on the cluster pool (the one-line switch from processes). */
    static List<Integer> squares(PoolLike pool, int n) {
        return pool.map(x -> x * x, IntStream.range(0, n).boxed().toList());
    }

    /** apply returns the task's value, from a client and from a member. */
    @ParameterizedTest
    @ValueSource(strings = {"client", "member"})
    void applyReturnsTheValue(String who) {
        try (PoolLike pool = from(who).pool()) {
            int base = 100;
            assertEquals(142, pool.apply(() -> base + 42));
            assertEquals(List.of(0, 1, 4, 9, 16), squares(pool, 5));
        }
    }

    /** Tasks are spread over the members: with two members, each runs some of ten tasks. */
    @Test
    void tasksRunOnEveryMember() {
        try (PoolLike pool = client.pool()) {
            Set<String> where = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                where.add(pool.apply(ClusterPoolTest::runningMember));
            }
            assertEquals(2, where.size(), "tasks ran on " + where);
        }
    }

    /** The name of the member whose executor thread runs this (Hazelcast names its threads after the instance). */
    static String runningMember() {
        String thread = Thread.currentThread().getName(); // "hz.<instance>.<executor>.thread-N"
        assertTrue(thread.startsWith("hz."), thread);
        return thread.split("\\.")[1];
    }

    /** Each callback runs exactly once, on the pool's result thread, before its result is ready. */
    @Test
    void callbacksRunOncePerTaskOnTheResultThread() {
        ConcurrentLinkedQueue<Integer> seen = new ConcurrentLinkedQueue<>();
        Set<String> threads = Collections.synchronizedSet(new HashSet<>());
        List<AsyncResult<Integer>> results = new ArrayList<>();
        try (PoolLike pool = client.pool()) {
            for (int i = 0; i < 20; i++) {
                int n = i;
                results.add(pool.applyAsync(() -> 100 + n, v -> {
                    threads.add(Thread.currentThread().getName());
                    seen.add(v);
                }, e -> seen.add(-1)));
            }
            for (int i = 0; i < 20; i++) {
                assertEquals(100 + i, results.get(i).get(Duration.ofSeconds(60)));
            }
        }
        List<Integer> sorted = new ArrayList<>(seen);
        Collections.sort(sorted);
        assertEquals(IntStream.range(100, 120).boxed().toList(), sorted);
        assertEquals(1, threads.size(), "callbacks ran on " + threads);
        assertTrue(threads.iterator().next().endsWith("-results"), threads.toString());
    }

    /** A failing task: get() throws CompletionException caused by the task's own exception, and only the error callback runs. */
    @Test
    void aFailingTaskReachesGetAndTheErrorCallback() {
        ConcurrentLinkedQueue<Object> calls = new ConcurrentLinkedQueue<>();
        try (PoolLike pool = a.pool()) {
            AsyncResult<Integer> r = pool.applyAsync(() -> {
                throw new IllegalArgumentException("boom");
            }, calls::add, calls::add);
            CompletionException e = assertThrows(CompletionException.class, () -> r.get(Duration.ofSeconds(60)));
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertEquals("boom", e.getCause().getMessage());
            assertFalse(r.successful());
            assertEquals(1, calls.size());
            assertInstanceOf(IllegalArgumentException.class, calls.peek());
            CompletionException viaApply = assertThrows(CompletionException.class, () -> pool.apply(() -> 1 / (calls.size() - 1)));
            assertInstanceOf(ArithmeticException.class, viaApply.getCause());
        }
    }

    /** map keeps the input's order whatever the chunk size; starmap spreads each argument list. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 1000})
    void mapKeepsOrder(int chunksize) {
        List<Integer> input = IntStream.range(0, 100).boxed().toList();
        try (PoolLike pool = client.pool()) {
            assertEquals(input.stream().map(x -> x * 3).toList(), pool.map(x -> x * 3, input, chunksize));
            List<Object[]> args = List.of(new Object[] {1, 2}, new Object[] {3, 4}, new Object[] {5, 6});
            assertEquals(List.of(3, 7, 11), pool.starmap(xs -> (Integer) xs[0] + (Integer) xs[1], args, Math.max(1, chunksize)));
            assertEquals(List.of(), pool.map(x -> x, List.<Integer>of()));
        }
    }

    /** imap yields in order, imapUnordered yields every result once, both lazily over a long input. */
    @Test
    void imapAndImapUnordered() {
        List<Integer> input = IntStream.range(0, 200).boxed().toList();
        try (PoolLike pool = a.pool()) {
            List<Integer> ordered = new ArrayList<>();
            pool.imap((Integer x) -> x + 1, input, 3).forEachRemaining(ordered::add);
            assertEquals(input.stream().map(x -> x + 1).toList(), ordered);
            List<Integer> unordered = new ArrayList<>();
            Iterator<Integer> it = pool.imapUnordered((Integer x) -> x + 1, input);
            it.forEachRemaining(unordered::add);
            Collections.sort(unordered);
            assertEquals(ordered, unordered);
        }
    }

    /** After close() the pool refuses tasks and every earlier one is done; join() before close() is refused. */
    @Test
    void closeFinishesAndRefuses() {
        PoolLike pool = client.pool();
        assertThrows(IllegalStateException.class, pool::join);
        List<AsyncResult<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            results.add(pool.applyAsync(() -> n));
        }
        pool.close();
        for (AsyncResult<Integer> r : results) {
            assertTrue(r.ready());
        }
        assertThrows(IllegalStateException.class, () -> pool.applyAsync(() -> 1));
        pool.join();
    }

    /** A callback may close its own pool (as in the local Pool): close() returns instead of waiting for itself. */
    @Test
    void aCallbackMayCloseItsPool() {
        ClusterPool pool = client.pool();
        ConcurrentLinkedQueue<Integer> seen = new ConcurrentLinkedQueue<>();
        AsyncResult<Integer> r = pool.applyAsync(() -> 5, v -> {
            seen.add(v);
            pool.close();
        });
        assertEquals(5, r.get(Duration.ofSeconds(60)));
        assertEquals(List.of(5), List.copyOf(seen));
        assertThrows(IllegalStateException.class, () -> pool.applyAsync(() -> 1));
        pool.join();
    }

    /** terminate() fails an outstanding task with CancellationException, through its error callback. */
    @Test
    void terminateCancelsOutstandingTasks() throws Exception {
        PoolLike pool = a.pool();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AsyncResult<Integer> stuck = pool.applyAsync(() -> {
            BLOCKED.countDown();
            RELEASE.await();
            return 1;
        }, v -> { }, errors::add);
        assertTrue(BLOCKED.await(60, TimeUnit.SECONDS));
        pool.terminate();
        pool.join();
        assertThrows(CancellationException.class, () -> stuck.get(Duration.ofSeconds(60)));
        assertEquals(1, errors.size());
        assertInstanceOf(CancellationException.class, errors.peek());
        RELEASE.countDown();
    }

    /** The at-least-once pool (Hazelcast's durable executor) runs tasks and maps like the default one. */
    @Test
    void atLeastOncePoolRunsTasks() {
        try (ClusterPool pool = client.pool(ClusterPool.Delivery.AT_LEAST_ONCE)) {
            assertEquals(ClusterPool.Delivery.AT_LEAST_ONCE, pool.delivery());
            assertEquals(7, pool.apply(() -> 3 + 4));
            assertEquals(List.of(0, 1, 4, 9, 16, 25), squares(pool, 6));
        }
    }
}
