package io.github.pyconcurrent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.impl.clientside.HazelcastClientProxy;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.github.pyconcurrent.shared.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Safe by default: the configurations actually used have phoning home, multicast and cloud
 * auto-detection off and TCP/IP join on; and after two members (one a child JVM) and a client
 * have worked together, every TCP connection of this JVM and of the child goes to loopback.
 */
class SafeDefaultsTest {
    static final String NAME = TestClusters.uniqueName(SafeDefaultsTest.class);

    @AfterAll
    static void nothingLeft() {
        TestClusters.assertNothingLeft();
    }

    @Test
    void configsAreSafeAndOnlyLoopbackIsEverConnected() throws Exception {
        int seed = TestClusters.freePort();
        // No test properties here but the join speed-ups: the defaults under test are the module's.
        Cluster member = Cluster.member(TestClusters.options(NAME, seed, seed).build());
        ChildJvm child = null;
        try (Cluster client = Cluster.client(TestClusters.options(NAME, 0, seed).build())) {
            Config used = member.hazelcast().getConfig();
            assertEquals("false", used.getProperty(SafeConfig.PHONE_HOME));
            JoinConfig join = used.getNetworkConfig().getJoin();
            assertFalse(join.getMulticastConfig().isEnabled());
            assertFalse(join.getAutoDetectionConfig().isEnabled());
            assertTrue(join.getTcpIpConfig().isEnabled());
            assertEquals(List.of("127.0.0.1:" + seed), join.getTcpIpConfig().getMembers());
            assertEquals("127.0.0.1", member.hazelcast().getCluster().getLocalMember().getAddress().getHost());

            ClientConfig clientUsed = ((HazelcastClientProxy) client.hazelcast()).getClientConfig();
            assertEquals("false", clientUsed.getProperty(SafeConfig.PHONE_HOME));
            assertFalse(clientUsed.getNetworkConfig().isAutoDetectionEnabled());
            assertFalse(clientUsed.getNetworkConfig().getCloudConfig().isEnabled());

            CountDownLatch joined = TestClusters.memberAdded(member);
            child = ChildJvm.start(TestClusters.CHILD_FLAGS, ChildMember.class, NAME, Integer.toString(seed), Integer.toString(TestClusters.freePort()));
            assertTrue(joined.await(120, TimeUnit.SECONDS), child::output);
            // Work that crosses every connection: a dict spread over both members, a pool task on each.
            ClusterDict<Integer, Integer> d = client.dict("traffic", Integer.class, Integer.class);
            for (int i = 0; i < 50; i++) {
                d.merge(i, 1, Integer::sum);
            }
            try (ClusterPool pool = client.pool()) {
                assertEquals(List.of(2, 3), pool.map((Integer x) -> x + 1, List.of(1, 2)));
            }

            List<String> mine = connections(ProcessHandle.current().pid());
            List<String> childs = connections(child.pid());
            assertTrue(mine.stream().anyMatch(c -> c.endsWith(":" + seed)), "no connection to the member found: " + mine);
            assertFalse(childs.isEmpty(), "the child member has no connection");
            for (String c : concat(mine, childs)) {
                assertTrue(isLoopback(c), "a connection leaves the machine: " + c + " (all: " + mine + " / " + childs + ")");
            }
        } finally {
            if (child != null) {
                child.close();
            }
            member.close();
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * The remote ends ("hexaddress:port", as /proc shows them) of the established and connecting
     * TCP sockets that process {@code pid} owns. /proc/PID/net/tcp lists the whole network
     * namespace (other programs on this machine too), so rows are kept only when their inode is
     * one of the process's own socket descriptors.
     */
    static List<String> connections(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        List<String> remotes = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/net/" + table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String state = f[3];
                boolean live = state.equals("01") || state.equals("02"); // ESTABLISHED, SYN_SENT
                if (live && inodes.contains(f[9])) {
                    String[] remote = f[2].split(":");
                    remotes.add(remote[0] + ":" + Integer.parseInt(remote[1], 16));
                }
            }
        }
        return remotes;
    }

    /** 127.0.0.0/8 (tcp: a little-endian word, so its last byte), ::1, or ::ffff:127.x. */
    static boolean isLoopback(String remote) {
        String hex = remote.substring(0, remote.indexOf(':'));
        if (hex.length() == 8) {
            return hex.endsWith("7F");
        }
        return hex.equals("00000000000000000000000001000000")
                || (hex.startsWith("0000000000000000FFFF0000") && hex.endsWith("7F"));
    }

    /** The loopback test itself tells loopback from the rest. */
    @Test
    void loopbackRecognition() {
        assertTrue(isLoopback("0100007F:5701"));
        assertFalse(isLoopback("0501A8C0:5701"));   // 192.168.1.5
        assertTrue(isLoopback("00000000000000000000000001000000:80"));
        assertTrue(isLoopback("0000000000000000FFFF00000100007F:80"));
        assertFalse(isLoopback("0000000000000000FFFF00000501A8C0:80"));
        assertFalse(isLoopback("B80D0120000000000000000001000000:80"));
    }
}
