package io.github.pyconcurrent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import probe.Probe;

/**
 * What a user sees when a cluster goes wrong: one error that names the fix, and no pages of
 * Hazelcast's log; a member's start is one INFO line of the toolkit's.
 */
class ClusterErrorsTest {
    /** Held: java.util.logging holds loggers weakly. */
    private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");
    private static final Logger TOOLKIT = Logger.getLogger(Cluster.class.getName());

    private final List<LogRecord> hazelcastLines = new CopyOnWriteArrayList<>();
    private final List<LogRecord> toolkitLines = new CopyOnWriteArrayList<>();
    private final Handler hazelcastCapture = capture(hazelcastLines);
    private final Handler toolkitCapture = capture(toolkitLines);

    @BeforeEach
    void listen() {
        HAZELCAST.addHandler(hazelcastCapture);
        TOOLKIT.addHandler(toolkitCapture);
    }

    @AfterEach
    void stopListening() {
        HAZELCAST.removeHandler(hazelcastCapture);
        TOOLKIT.removeHandler(toolkitCapture);
        TestClusters.assertNothingLeft();
    }

    /** A member's start: the toolkit's one INFO line (cluster, address, members), none of Hazelcast's banner or advice. */
    @Test
    void aMemberStartsWithOneLine() {
        String name = TestClusters.uniqueName(ClusterErrorsTest.class);
        int port = TestClusters.freePort();
        try (Cluster member = Cluster.member(TestClusters.options(name, port, port).build())) {
            assertEquals(List.of(), texts(hazelcastLines), "Hazelcast's lines reached the log");
            List<String> ours = texts(toolkitLines);
            assertEquals(1, ours.size(), ours::toString);
            assertEquals("member of cluster " + name + " at /127.0.0.1:" + port + ", members [/127.0.0.1:" + port + "]", ours.getFirst());
        }
    }

    /** An address no interface of this machine has: named, with the setting, before Hazelcast starts. */
    @Test
    void aForeignBindAddressNamesItselfAndTheSetting() {
        String name = TestClusters.uniqueName(ClusterErrorsTest.class);
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never a real host's address.
        InetSocketAddress foreign = new InetSocketAddress("192.0.2.7", 5701);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Cluster.member(ClusterOptions.builder().clusterName(name).bind(foreign).members(List.of(foreign)).build()));
        assertTrue(e.getMessage().startsWith("cannot bind the cluster member to 192.0.2.7: no network interface of this machine"
                + " has that address. Set ClusterOptions.builder().bind(...) to an address of this machine"), e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
        assertEquals(List.of(), texts(hazelcastLines));
    }

    /** A client with no member to reach: one line naming the addresses and the timeout, after that timeout; no log lines. */
    @Test
    void aClientWithNoMemberFailsInOneLine() {
        String name = TestClusters.uniqueName(ClusterErrorsTest.class);
        int dead = TestClusters.freePort();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Cluster.client(
                TestClusters.options(name, 0, dead).connectTimeout(Duration.ofSeconds(2)).build()));
        assertEquals("no member of cluster " + name + " answered at [/127.0.0.1:" + dead + "] within 2 s (is one running there,"
                + " with this cluster name? the wait is ClusterOptions.builder().connectTimeout(...))", e.getMessage());
        assertEquals(List.of(), texts(hazelcastLines));
    }

    /** A task of a class off the allowlist: the error names the class and the call that admits it; the member logs nothing. */
    @Test
    void aClassOffTheAllowlistNamesTheOptionThatAdmitsIt() {
        String name = TestClusters.uniqueName(ClusterErrorsTest.class);
        int port = TestClusters.freePort();
        try (Cluster member = Cluster.member(TestClusters.options(name, port, port).build());
                ClusterPool pool = member.pool()) {
            for (int call = 0; call < 2; call++) {
                CompletionException e = assertThrows(CompletionException.class, () -> pool.apply(Probe.task()));
                ClassNotAllowedException refused = assertInstanceOf(ClassNotAllowedException.class, e.getCause());
                assertEquals("probe.Probe", refused.className());
                assertTrue(refused.getMessage().contains("ClusterOptions.builder().allowPackages(\"probe\")"), refused.getMessage());
            }
            assertEquals(List.of(), texts(hazelcastLines), "the member logged the refusal");
        }
        try (Cluster member = Cluster.member(TestClusters.options(name, port, port).allowPackages("probe").build());
                ClusterPool pool = member.pool()) {
            assertEquals(42, pool.apply(Probe.task()), "admitted by the option the message named");
        }
    }

    private static List<String> texts(List<LogRecord> records) {
        return records.stream().map(r -> r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage())
                .map(s -> s.substring(s.indexOf(": ") + 2)).toList();
    }

    private static Handler capture(List<LogRecord> into) {
        return new Handler() {
            @Override
            public void publish(LogRecord r) {
                into.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
    }
}
