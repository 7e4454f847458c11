package io.github.pyconcurrent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.runtime.MissingJvmFlagsError;
import io.github.pyconcurrent.shared.ChildJvm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A JVM with the toolkit's flags but not Hazelcast's: the first Cluster names the missing ones. */
class ClusterFlagsTest {
    @Test
    void aMemberWithoutHazelcastsFlagsNamesThem() {
        int port = TestClusters.freePort();
        String name = TestClusters.uniqueName(ClusterFlagsTest.class);
        try (ChildJvm child = ChildJvm.run(() -> {
            try (Cluster c = Cluster.member(TestClusters.options(name, port, port).build())) {
                System.out.println("started without the flags");
            } catch (MissingJvmFlagsError e) {
                System.out.println("missing " + String.join(" ", e.missing()));
            }
        })) {
            assertEquals(0, child.waitFor(Duration.ofSeconds(120)), child::output);
            String out = child.output();
            assertFalse(out.contains("started without the flags"), out);
            assertTrue(out.contains("missing " + String.join(" ", TestClusters.CHILD_FLAGS)), out);
        }
    }
}
