package io.github.pyconcurrent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.nio.serialization.HazelcastSerializationException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Java deserialization from the cluster goes through the allowlist: a class outside it
 * (java.net.URI) is refused, and admitted once ClusterOptions names it.
 */
class SerializationFilterTest {
    static final String NAME = TestClusters.uniqueName(SerializationFilterTest.class);
    static Cluster member;
    static Cluster strict;
    static Cluster permissive;

    @BeforeAll
    static void start() {
        int seed = TestClusters.freePort();
        member = Cluster.member(TestClusters.options(NAME, seed, seed).build());
        strict = Cluster.client(TestClusters.options(NAME, 0, seed).build());
        permissive = Cluster.client(TestClusters.options(NAME, 0, seed).allowClasses("java.net.URI").build());
    }

    @AfterAll
    static void stop() {
        for (Cluster c : new Cluster[] {permissive, strict, member}) {
            if (c != null) {
                c.close();
            }
        }
        TestClusters.assertNothingLeft();
    }

    /** A value of a class outside the allowlist cannot be read by a default client; a client that allows it reads it. */
    @Test
    void aClassOutsideTheAllowlistIsRefused() {
        URI uri = URI.create("https://example.invalid/x");
        permissive.dict("filtered", String.class, URI.class).put("k", uri);
        ClassNotAllowedException refused = assertThrows(ClassNotAllowedException.class,
                () -> strict.dict("filtered", String.class, URI.class).get("k"));
        assertEquals("java.net.URI", refused.className());
        assertTrue(refused.getMessage().contains("allowPackages(\"java.net\") (or allowClasses(\"java.net.URI\"))"), refused.getMessage());
        assertTrue(causes(refused).contains(HazelcastSerializationException.class), "refused for another reason: " + refused);
        assertEquals(uri, permissive.dict("filtered", String.class, URI.class).get("k"));
    }

    /** A task whose result is outside the allowlist fails on the strict side instead of being deserialized. */
    @Test
    void aTaskResultOutsideTheAllowlistIsRefused() {
        try (ClusterPool pool = strict.pool()) {
            CompletionException e = assertThrows(CompletionException.class, () -> pool.apply(() -> URI.create("https://example.invalid/y")));
            assertEquals("java.net.URI", assertInstanceOf(ClassNotAllowedException.class, e.getCause(), e.toString()).className());
        }
        try (ClusterPool pool = strict.pool()) {
            assertEquals(List.of("ok"), pool.map((String s) -> s, List.of("ok")));
        }
    }

    static List<Class<?>> causes(Throwable t) {
        List<Class<?>> all = new java.util.ArrayList<>();
        for (Throwable c = t; c != null && !all.contains(c.getClass()); c = c.getCause()) {
            all.add(c.getClass());
        }
        return all;
    }
}
