package io.github.pyconcurrent.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.github.pyconcurrent.runtime.JvmFlags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Test helper: loopback-only options with a unique cluster name and fast joins. Hazelcast's log is
 * left as the toolkit sets it for users ({@link HazelcastLogging}).
 */
final class TestClusters {
    private TestClusters() {}

    /** What a child JVM running a member needs besides the toolkit's flags (ChildJvm gives those). */
    static final List<String> CHILD_FLAGS = JvmFlags.clusterFlags().stream().filter(f -> !JvmFlags.flags().contains(f)).toList();

    /** A port free on 127.0.0.1 now (the kernel's ephemeral choice, so tests of other JVMs do not pick it too). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** A cluster name no other test class or concurrent run uses. */
    static String uniqueName(Class<?> testClass) {
        return "pyc-" + testClass.getSimpleName() + "-" + ProcessHandle.current().pid();
    }

    /**
     * Options for a member binding {@code port} and joining {@code seed} (or a client of
     * {@code seed}), with the timeouts lowered so that joining is immediate and a killed member
     * is noticed within seconds.
     */
    static ClusterOptions.Builder options(String clusterName, int port, int seed) {
        return ClusterOptions.builder()
                .clusterName(clusterName)
                .bind(loopback(port))
                .members(List.of(loopback(seed)))
                .property("hazelcast.wait.seconds.before.join", "0")
                .property("hazelcast.max.wait.seconds.before.join", "0")
                .property("hazelcast.partition.count", "31")
                .property("hazelcast.heartbeat.interval.seconds", "1")
                .property("hazelcast.max.no.heartbeat.seconds", "8")
                .property("hazelcast.graceful.shutdown.max.wait", "20");
    }

    /** Nothing of a test class may outlive it: no member or client in this JVM, no child JVM. */
    static void assertNothingLeft() {
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), List.copyOf(com.hazelcast.core.Hazelcast.getAllHazelcastInstances()),
                "members still running");
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), List.copyOf(com.hazelcast.client.HazelcastClient.getAllHazelcastClients()),
                "clients still connected");
        org.junit.jupiter.api.Assertions.assertEquals(List.of(),
                ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList(), "child JVMs still alive");
    }

    /** Counts down when a member leaves the cluster {@code cluster} sees. */
    static CountDownLatch memberRemoved(Cluster cluster) {
        CountDownLatch left = new CountDownLatch(1);
        cluster.hazelcast().getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {}

            @Override
            public void memberRemoved(MembershipEvent e) {
                left.countDown();
            }
        });
        return left;
    }

    /** Counts down when a member joins the cluster {@code cluster} sees. */
    static CountDownLatch memberAdded(Cluster cluster) {
        CountDownLatch joined = new CountDownLatch(1);
        cluster.hazelcast().getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                joined.countDown();
            }

            @Override
            public void memberRemoved(MembershipEvent e) {}
        });
        return joined;
    }
}
