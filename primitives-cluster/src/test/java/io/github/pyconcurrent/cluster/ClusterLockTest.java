package io.github.pyconcurrent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.threading.Held;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ClusterLock: the threading lock API, mutual exclusion across members, release when the holder's member dies. */
class ClusterLockTest {
    static final String NAME = TestClusters.uniqueName(ClusterLockTest.class);
    static int seed;
    static Cluster a;
    static Cluster b;

    @BeforeAll
    static void start() {
        seed = TestClusters.freePort();
        a = Cluster.member(TestClusters.options(NAME, seed, seed).build());
        b = Cluster.member(TestClusters.options(NAME, TestClusters.freePort(), seed).build());
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
        TestClusters.assertNothingLeft();
    }

    /** acquire returns true and locks; release unlocks; locked() reports it from any member. */
    @Test
    void acquireAndRelease() {
        ClusterLock lock = a.lock("basic");
        assertFalse(lock.locked());
        assertTrue(lock.acquire());
        assertTrue(b.lock("basic").locked());
        lock.release();
        assertFalse(b.lock("basic").locked());
    }

    /** While one member holds it, another member's non-blocking and timed acquires return false. */
    @Test
    void aHeldLockIsNotTakenElsewhere() throws Exception {
        ClusterLock lock = a.lock("held");
        try (Held held = lock.hold()) {
            ClusterLock other = b.lock("held");
            assertFalse(CompletableFuture.supplyAsync(() -> other.acquire(false)).get(60, TimeUnit.SECONDS));
            assertFalse(CompletableFuture.supplyAsync(() -> other.acquire(Duration.ofMillis(50))).get(60, TimeUnit.SECONDS));
        }
        assertTrue(CompletableFuture.supplyAsync(() -> {
            boolean got = b.lock("held").acquire(false);
            b.lock("held").release();
            return got;
        }).get(60, TimeUnit.SECONDS));
    }

    /** Releasing a lock nobody holds, or one another thread holds, is an IllegalStateException. */
    @Test
    void releaseRequiresTheHolder() throws Exception {
        ClusterLock lock = a.lock("owner");
        assertThrows(IllegalStateException.class, lock::release);
        lock.acquire();
        try {
            Throwable thrown = CompletableFuture.supplyAsync(() -> {
                try {
                    b.lock("owner").release();
                    return null;
                } catch (IllegalStateException e) {
                    return (Throwable) e;
                }
            }).get(60, TimeUnit.SECONDS);
            assertTrue(thrown instanceof IllegalStateException, "release by a non-holder must throw");
            assertTrue(lock.locked());
        } finally {
            lock.release();
        }
    }

    /** hold() gives mutual exclusion across members: an unsynchronised read-modify-write under it loses nothing. */
    @Test
    void holdIsMutualExclusionAcrossMembers() throws Exception {
        ClusterDict<String, Integer> counter = a.dict("lock-counter", String.class, Integer.class);
        counter.put("n", 0);
        List<Cluster> members = List.of(a, b);
        ClusterDictTest.hammer(3, 20, members, m -> {
            ClusterDict<String, Integer> d = m.dict("lock-counter", String.class, Integer.class);
            try (Held held = m.lock("counter").hold()) {
                d.put("n", d.get("n") + 1); // deliberately read-then-write: only the lock makes it safe
            }
        });
        assertEquals(2 * 3 * 20, counter.get("n"));
    }

    /** A lock whose holder's member crashes is released, and another member takes it. */
    @Test
    void aDeadHoldersLockIsReleased() throws Exception {
        Cluster doomed = Cluster.member(TestClusters.options(NAME, TestClusters.freePort(), seed).build());
        try {
            CountDownLatch left = TestClusters.memberRemoved(a);
            assertTrue(doomed.lock("dead-holder").acquire(false));
            assertFalse(a.lock("dead-holder").acquire(false));
            doomed.hazelcast().getLifecycleService().terminate();
            assertTrue(left.await(60, TimeUnit.SECONDS));
            ClusterLock lock = a.lock("dead-holder");
            assertTrue(lock.acquire(Duration.ofSeconds(60)), "the dead member's lock was never released");
            lock.release();
        } finally {
            doomed.close();
        }
    }
}
