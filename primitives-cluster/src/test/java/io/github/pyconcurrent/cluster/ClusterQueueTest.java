package io.github.pyconcurrent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.multiprocessing.Queue;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ClusterQueue: the multiprocessing Queue API between a member and a client. */
class ClusterQueueTest {
    static final String NAME = TestClusters.uniqueName(ClusterQueueTest.class);
    static Cluster member;
    static Cluster client;

    @BeforeAll
    static void start() {
        int seed = TestClusters.freePort();
        member = Cluster.member(TestClusters.options(NAME, seed, seed).build());
        client = Cluster.client(TestClusters.options(NAME, 0, seed).build());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (member != null) {
            member.close();
        }
        TestClusters.assertNothingLeft();
    }

    /** Items put on the member come out of the client first in, first out. */
    @Test
    void fifoBetweenMemberAndClient() {
        ClusterQueue<String> in = member.queue("fifo");
        ClusterQueue<String> out = client.queue("fifo");
        in.put("a");
        in.put("b", Duration.ofSeconds(1));
        in.putNowait("c");
        assertEquals(3, out.qsize());
        assertEquals("a", out.get());
        assertEquals("b", out.get(Duration.ofSeconds(5)));
        assertEquals("c", out.getNowait());
        assertTrue(out.empty());
    }

    /** getNowait and a timed get on an empty queue throw Queue.Empty. */
    @Test
    void emptyQueueThrowsEmpty() {
        ClusterQueue<Integer> q = client.queue("empty");
        assertThrows(Queue.Empty.class, q::getNowait);
        assertThrows(Queue.Empty.class, () -> q.get(Duration.ofMillis(20)));
    }

    /** A full bounded queue refuses putNowait and a timed put with Queue.Full. */
    @Test
    void fullQueueThrowsFull() {
        ClusterQueue<Integer> q = member.queue("bounded", 2);
        assertEquals(2, q.maxsize());
        q.put(1);
        q.put(2);
        ClusterQueue<Integer> fromClient = client.queue("bounded");
        assertThrows(Queue.Full.class, () -> fromClient.putNowait(3));
        assertThrows(Queue.Full.class, () -> q.put(3, Duration.ofMillis(20)));
        assertEquals(1, fromClient.get());
        fromClient.putNowait(3);
        assertEquals(2, q.qsize());
    }

    /** A get blocked on the client returns the item a member puts later. */
    @Test
    void blockedGetWakesOnPut() throws Exception {
        ClusterQueue<String> q = client.queue("wake");
        CompletableFuture<String> got = CompletableFuture.supplyAsync(q::get);
        member.<String>queue("wake").put("hello");
        assertEquals("hello", got.get(60, TimeUnit.SECONDS));
    }

    /** After close() this handle refuses puts; the queue itself stays usable by others. */
    @Test
    void closedHandleRefusesPut() {
        ClusterQueue<String> q = member.queue("closing");
        q.close();
        assertTrue(q.closed());
        assertThrows(IllegalStateException.class, () -> q.put("x"));
        ClusterQueue<String> other = client.queue("closing");
        other.put("y");
        assertFalse(other.empty());
        assertEquals("y", q.get());
    }
}
