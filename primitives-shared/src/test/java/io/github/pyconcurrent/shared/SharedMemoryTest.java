package io.github.pyconcurrent.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.shared.internal.ShmRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class SharedMemoryTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    private static String uniqueName() {
        return "test-" + UUID.randomUUID();
    }

    @AfterAll
    static void nothingLeftInDevShm() {
        ShmLeaks.assertNoStrays();
    }

    /** Bytes written through one mapping are read through another, and the creator's close unlinks. */
    @Test
    void createAttachShareAndCloseUnlinks() {
        String name = uniqueName();
        Path file;
        try (SharedMemory owner = SharedMemory.create(name, 100)) {
            file = ShmRegistry.DIR.resolve(ShmRegistry.SEGMENT_PREFIX + name);
            assertTrue(Files.exists(file));
            assertEquals(100, owner.size());
            ByteBuffer b = owner.buffer();
            assertEquals(100, b.limit());
            b.putInt(96, 0xCAFE);
            try (SharedMemory other = SharedMemory.attach(name)) {
                assertEquals(100, other.size());
                assertEquals(0xCAFE, other.buffer().getInt(96));
                assertFalse(other.isOwner());
            }
            assertTrue(Files.exists(file), "an attacher's close must not unlink");
        }
        assertFalse(Files.exists(file));
    }

    /** A name in use cannot be created again; an unknown name cannot be attached. */
    @Test
    void nameInUseAndUnknownName() {
        String name = uniqueName();
        try (SharedMemory owner = SharedMemory.create(name, 8)) {
            assertThrows(IllegalStateException.class, () -> SharedMemory.create(name, 8));
            assertEquals(8, SharedMemory.attach(name).size(), "the failed create must not unlink the first");
        }
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.attach(name));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create("bad/name", 8));
    }

    /** unlink() removes the name; the existing mappings stay usable; unlink is idempotent. */
    @Test
    void unlinkKeepsMappings() {
        String name = uniqueName();
        SharedMemory owner = SharedMemory.create(name, 16);
        SharedMemory other = SharedMemory.attach(name);
        owner.unlink();
        owner.unlink();
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.attach(name));
        owner.buffer().putLong(0, 7);
        assertEquals(7, other.buffer().getLong(0));
        owner.close();
        other.close();
        assertThrows(IllegalStateException.class, owner::buffer);
    }

    /** A segment created by a child JVM is written by it and read here; the child's exit unlinks it. */
    @Test
    void childCreatesAndItsExitUnlinks() {
        String name = uniqueName();
        try (ChildJvm child = ChildJvm.run(() -> {
            SharedMemory shm = SharedMemory.create(name, 64);
            shm.buffer().putInt(0, 4242);
            System.out.println("ready");
            System.in.read(); // exit when the parent says so (closes stdin)
        })) {
            assertTrue(child.awaitOutput("ready", CHILD_TIMEOUT), child::output);
            try (SharedMemory seen = SharedMemory.attach(name)) {
                assertEquals(4242, seen.buffer().getInt(0));
            }
            child.process().getOutputStream().close();
            assertEquals(0, child.waitFor(CHILD_TIMEOUT), child::output);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertFalse(Files.exists(ShmRegistry.DIR.resolve(ShmRegistry.SEGMENT_PREFIX + name)), "exit must unlink");
    }

    /** A segment left by a creator killed with SIGKILL is swept; live creators' files are not. */
    @Test
    void sweepRemovesFilesOfKilledCreators() {
        String name = uniqueName();
        Path file = ShmRegistry.DIR.resolve(ShmRegistry.SEGMENT_PREFIX + name);
        try (SharedMemory mine = SharedMemory.create(uniqueName(), 8);
                ChildJvm child = ChildJvm.run(() -> {
                    SharedMemory.create(name, 64);
                    Path other = ShmRegistry.newOwnedPath("test");
                    Files.writeString(other, "x");
                    System.out.println("ready " + other);
                    System.in.read();
                })) {
            assertTrue(child.awaitOutput("ready", CHILD_TIMEOUT), child::output);
            Path other = Path.of(child.stdout().trim().substring("ready ".length()).trim());
            assertTrue(Files.exists(file));
            assertTrue(Files.exists(other));
            assertTrue(ShmRegistry.sweep().isEmpty() || !ShmRegistry.sweep().contains(file), "a live creator's file was swept");
            child.kill();
            assertTrue(Files.exists(file), "SIGKILL runs no hook: the file is left");
            List<Path> swept = ShmRegistry.sweep();
            assertTrue(swept.contains(file) && swept.contains(other), "swept " + swept);
            assertFalse(Files.exists(file));
            assertFalse(Files.exists(other));
            assertTrue(Files.exists(mine.path()), "our own live segment must survive a sweep");
        }
    }

    /** A SharedMemory serialized into a child arrives attached to the same segment. */
    @Test
    void serializableAsHandle() {
        try (SharedMemory shm = SharedMemory.create(uniqueName(), 8)) {
            try (ChildJvm child = ChildJvm.run(() -> shm.buffer().putInt(4, 99))) {
                assertEquals(0, child.waitFor(CHILD_TIMEOUT), child::output);
            }
            assertEquals(99, shm.buffer().getInt(4));
        }
    }
}
