package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.shared.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A child JVM that cannot start is never retried in silence: the start fails at once with the
 * child's status and command line, the forkserver stops starting spares after a few failures, and
 * the next start tries once more. Each case runs in a user program JVM of its own whose children
 * are given a JVM option no JVM accepts.
 */
class ChildStartFailureTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final List<String> BROKEN_CHILDREN = List.of("-D" + ChildLauncher.CHILD_OPTIONS_PROPERTY + "=-XX:+NoSuchOptionForPyconcurrentTests");

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void aChildThatCannotStartFailsStartAtOnceAndTheNextStartTriesAgain(String method) {
        try (ChildJvm program = ChildJvm.start(BROKEN_CHILDREN, UserProgram.class, ChildJvm.encode(() -> {
            Multiprocessing.setStartMethod(method);
            for (int attempt = 1; attempt <= 2; attempt++) {
                try {
                    new Process(() -> { }).start();
                    System.out.println("attempt " + attempt + " started");
                } catch (IllegalStateException e) {
                    System.out.println("attempt " + attempt + " failed: " + e.getMessage());
                }
            }
            System.out.println("launched " + ChildLauncher.get().failuresInARow() + " failing");
        }))) {
            assertTrue(program.awaitOutput("launched", LIMIT), program::output);
            assertEquals(0, program.waitFor(LIMIT), program::output);
            String out = program.stdout();
            for (int attempt = 1; attempt <= 2; attempt++) {
                assertTrue(out.contains("attempt " + attempt + " failed: a child JVM (pid "), out);
            }
            assertTrue(out.contains("before it connected to this JVM"), out);
            assertTrue(out.contains("NoSuchOptionForPyconcurrentTests"), "the message quotes the command: " + out);
            assertFalse(out.contains("started"), out);
        }
    }

    /** A pool whose workers cannot start fails its creation, and the program then ends: nothing is left running. */
    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void aPoolWhoseWorkersCannotStartFailsItsCreation(String method) {
        try (ChildJvm program = ChildJvm.start(BROKEN_CHILDREN, UserProgram.class, ChildJvm.encode(() -> {
            Multiprocessing.setStartMethod(method);
            try (Pool pool = new Pool(2)) {
                System.out.println("created " + pool.apply(() -> 1));
            } catch (IllegalStateException e) {
                System.out.println("creation failed: " + e.getMessage());
            }
        }))) {
            assertEquals(0, program.waitFor(LIMIT), program::output);
            assertTrue(program.stdout().contains("creation failed: a child JVM (pid "), program::output);
            assertFalse(program.stdout().contains("created"), program::output);
        }
    }

    /** Spares that die before connecting stop being replaced after a few, with one WARNING. */
    @Test
    void theForkserverStopsStartingSparesThatCannotStart() {
        try (ChildJvm program = ChildJvm.start(BROKEN_CHILDREN, UserProgram.class, ChildJvm.encode(() -> {
            Multiprocessing.warmUp(); // spares start in the background, and die
            ChildLauncher launcher = ChildLauncher.get();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (launcher.failuresInARow() < ChildLauncher.FAILURES_TO_WARN && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            // The replenishing task has returned once it saw the streak: it is not running again.
            ForkServer.get().replenish();
            System.out.println("failures " + launcher.failuresInARow());
        }))) {
            assertEquals(0, program.waitFor(LIMIT), program::output);
            assertTrue(program.stdout().contains("failures " + ChildLauncher.FAILURES_TO_WARN), program::output);
            assertEquals(1, program.stderr().split("child JVMs in a row ended before they connected", -1).length - 1,
                    "one WARNING: " + program.stderr());
        }
    }

    @Test
    void theClassPathCheckFindsClassesInDirectoriesJarsAndManifestClassPaths(@TempDir Path dir) throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes/a/b"));
        Files.writeString(classes.resolve("C.class"), "");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path jar = dir.resolve("lib.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.jar.JarEntry("x/Y.class"));
            out.closeEntry();
        }
        java.util.jar.Manifest mf = new java.util.jar.Manifest();
        mf.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, "lib.jar " + dir.resolve("classes").toUri());
        Path manifestOnly = dir.resolve("surefirebooter.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(manifestOnly), mf)) {
            out.flush();
        }
        assertTrue(ChildLauncher.onClassPath("a.b.C", empty + ":" + dir.resolve("classes")));
        assertTrue(ChildLauncher.onClassPath("x.Y", jar.toString()));
        assertTrue(ChildLauncher.onClassPath("x.Y", manifestOnly.toString()));
        assertTrue(ChildLauncher.onClassPath("a.b.C", manifestOnly.toString()));
        assertFalse(ChildLauncher.onClassPath("a.b.C", empty + ":" + jar));
        assertFalse(ChildLauncher.onClassPath("a.b.C", dir.resolve("missing.jar").toString()));
    }
}
