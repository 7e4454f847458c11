package io.github.pyconcurrent.futures;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pyconcurrent.cluster.Cluster;
import io.github.pyconcurrent.cluster.ClusterOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The executor contract for PoolExecutor.of(cluster.pool()): the same API over two Hazelcast
 * members on loopback (in this JVM, so the shared-memory events reach their tasks).
 */
class ClusterPoolExecutorTest extends ExecutorContract {
    /** Held so java.util.logging keeps the level (it holds loggers weakly). */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
    static Cluster a;
    static Cluster b;

    @BeforeAll
    static void startTwoMembers() {
        HAZELCAST_LOG.setLevel(Level.SEVERE);
        String name = "pyc-futures-" + ProcessHandle.current().pid();
        int seed = freeLoopbackPort();
        a = Cluster.member(options(name, seed, seed));
        b = Cluster.member(options(name, freeLoopbackPort(), seed));
    }

    @AfterAll
    static void stopMembers() {
        for (Cluster c : new Cluster[] {b, a}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static ClusterOptions options(String clusterName, int port, int seed) {
        return ClusterOptions.builder()
                .clusterName(clusterName)
                .bind(new InetSocketAddress("127.0.0.1", port))
                .members(List.of(new InetSocketAddress("127.0.0.1", seed)))
                .property("hazelcast.wait.seconds.before.join", "0")
                .property("hazelcast.max.wait.seconds.before.join", "0")
                .property("hazelcast.partition.count", "31")
                .build();
    }

    private static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code workers} tasks in flight at a time, as many workers would take. */
    @Override
    AbstractExecutor create(int workers) {
        return PoolExecutor.of(a.pool(), workers);
    }

    @Override
    boolean shutdownNowStopsRunningTasks() {
        return true; // terminate() cancels them: the futures fail at once (the member's thread runs on until released)
    }

    /** Tasks run on both members (Hazelcast names its executor threads "hz.<instance>.<executor>.thread-N"). */
    @Test
    void tasksRunOnBothMembers() {
        AbstractExecutor ex = executor(4);
        Set<String> members = new HashSet<>();
        for (int i = 0; i < 40 && members.size() < 2; i++) {
            members.add(ex.submit(() -> Thread.currentThread().getName().split("\\.")[1]).result(LIMIT));
        }
        assertEquals(2, members.size(), "tasks ran on " + members);
        assertEquals(2, a.members().size());
    }
}
