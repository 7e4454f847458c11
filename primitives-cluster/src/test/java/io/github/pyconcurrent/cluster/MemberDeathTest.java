package io.github.pyconcurrent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.multiprocessing.AsyncResult;
import io.github.pyconcurrent.multiprocessing.WorkerDiedError;
import io.github.pyconcurrent.shared.ChildJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A real member JVM is SIGKILLed while it runs pool tasks: exactly its tasks fail with
 * WorkerDiedError naming its pid, every other task completes, and the cluster lock it held is
 * released.
 */
class MemberDeathTest {
    static final String NAME = TestClusters.uniqueName(MemberDeathTest.class);

    /**
     * The task: in the parent it returns at once; in the child member it first connects to the
     * parent's socket (so the parent knows a task is running there) and then blocks until the
     * child is killed.
     */
    static long blockInTheChild(long parentPid, int port) throws IOException {
        long me = ProcessHandle.current().pid();
        if (me != parentPid) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.getInputStream().read();
            }
        }
        return me;
    }

    @AfterAll
    static void nothingLeft() {
        TestClusters.assertNothingLeft();
    }

    /** With at-least-once delivery (the durable executor), the killed member's tasks are re-run on the survivor: every task completes. */
    @Test
    void atLeastOnceReRunsAKilledMembersTasks() throws Exception {
        int seed = TestClusters.freePort();
        Cluster parent = Cluster.member(TestClusters.options(NAME + "-durable", seed, seed).build());
        ChildJvm child = null;
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(120_000);
            CountDownLatch joined = TestClusters.memberAdded(parent);
            child = ChildJvm.start(TestClusters.CHILD_FLAGS, ChildMember.class, NAME + "-durable", Integer.toString(seed),
                    Integer.toString(TestClusters.freePort()));
            assertTrue(joined.await(120, TimeUnit.SECONDS), "the child member never joined");
            // Partitions (and so durable tasks) are placed on the child only once migration is done.
            assertTrue(parent.hazelcast().getPartitionService().forceLocalMemberToBeSafe(120, TimeUnit.SECONDS));

            long parentPid = ProcessHandle.current().pid();
            int port = server.getLocalPort();
            List<AsyncResult<Long>> results = new ArrayList<>();
            try (ClusterPool pool = parent.pool(ClusterPool.Delivery.AT_LEAST_ONCE)) {
                // Twenty tasks by key over two members: the chance none lands on the child is 2^-20.
                for (int i = 0; i < 20; i++) {
                    results.add(pool.applyAsync(() -> blockInTheChild(parentPid, port)));
                }
                accepted.add(server.accept()); // a task is running in the child now
                child.kill();
                for (AsyncResult<Long> r : results) {
                    assertEquals(parentPid, r.get(Duration.ofSeconds(120)), "every task ends up run by the survivor");
                }
            }
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
            if (child != null) {
                child.close();
            }
            parent.close();
        }
    }

    @Test
    void aKilledMemberFailsOnlyItsTasksAndReleasesItsLock() throws Exception {
        int seed = TestClusters.freePort();
        Cluster parent = Cluster.member(TestClusters.options(NAME, seed, seed).build());
        ChildJvm child = null;
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(120_000);
            CountDownLatch joined = TestClusters.memberAdded(parent);
            CountDownLatch left = TestClusters.memberRemoved(parent);
            child = ChildJvm.start(TestClusters.CHILD_FLAGS, ChildMember.class, NAME, Integer.toString(seed),
                    Integer.toString(TestClusters.freePort()), "death-lock");
            assertTrue(joined.await(120, TimeUnit.SECONDS), "the child member never joined");
            assertTrue(child.awaitOutput("HELD", Duration.ofSeconds(120)), child::output);
            assertEquals(2, parent.members().size());

            long parentPid = ProcessHandle.current().pid();
            int port = server.getLocalPort();
            List<AsyncResult<Long>> results = new ArrayList<>();
            try (ClusterPool pool = parent.pool()) {
                for (int i = 0; i < 10; i++) {
                    results.add(pool.applyAsync(() -> blockInTheChild(parentPid, port)));
                }
                accepted.add(server.accept()); // a task is running in the child now
                child.kill();                  // SIGKILL, and reaped
                assertTrue(left.await(120, TimeUnit.SECONDS), "the parent never noticed the child was gone");

                int completed = 0;
                int died = 0;
                for (AsyncResult<Long> r : results) {
                    assertTrue(r.waitFor(Duration.ofSeconds(120)), "a task never finished");
                    if (r.successful()) {
                        assertEquals(parentPid, r.get());
                        completed++;
                    } else {
                        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, r::get);
                        WorkerDiedError wde = assertInstanceOf(WorkerDiedError.class, e.getCause());
                        assertEquals(child.pid(), wde.pid(), wde.getMessage());
                        died++;
                    }
                }
                // Tasks go to the two members in turn: the child's five died, the parent's five completed.
                assertEquals(5, died);
                assertEquals(5, completed);
                // The pool goes on with the surviving member.
                assertEquals(parentPid, pool.apply(() -> blockInTheChild(parentPid, port)));
            }

            ClusterLock lock = parent.lock("death-lock");
            assertTrue(lock.acquire(Duration.ofSeconds(120)), "the dead member's lock was never released");
            lock.release();
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
            if (child != null) {
                child.close();
            }
            parent.close();
        }
    }
}
