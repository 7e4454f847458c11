package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.shared.ChildJvm;
import io.github.pyconcurrent.shared.internal.ShmRegistry;
import java.io.EOFException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pipes across real JVMs: ends serialized into a child arrive attached; end of stream by close, exit and SIGKILL. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PipeCrossProcessTest {
    private static final Duration CHILD = Duration.ofSeconds(60);

    @AfterAll
    static void nothingLeftBehind() {
        Leaks.assertNothingLeft();
    }

    private static void assertExitsZero(ChildJvm child) {
        assertEquals(0, child.waitFor(CHILD), child::output);
    }

    private static void assertEof(Runnable recv) {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, recv::run);
        assertInstanceOf(EOFException.class, e.getCause());
    }

    /** A child echoes over a duplex pipe: objects and byte messages travel both ways, in order. */
    @Test
    void duplexEchoWithAChild() {
        try (Pipe pipe = Pipe.open()) {
            Connection parent = pipe.left();
            Connection childEnd = pipe.right();
            try (ChildJvm child = ChildJvm.run(() -> {
                while (true) {
                    Object m = childEnd.recv();
                    if ("stop".equals(m)) {
                        childEnd.sendBytes(new byte[] {1, 2, 3});
                        return;
                    }
                    childEnd.send((Integer) m + 1);
                }
            })) {
                for (int i = 0; i < 2000; i++) {
                    parent.send(i);
                    assertEquals(i + 1, parent.recv());
                }
                parent.send("stop");
                assertArrayEquals(new byte[] {1, 2, 3}, parent.recvBytes());
                assertExitsZero(child);
            }
        }
    }

    /**
     * The child holding the other end is SIGKILLed (the parent closed its own copy of that end
     * first, as a Python user does): the parent's recv reports end of stream instead of hanging.
     */
    @Test
    void eofWhenTheHolderIsKilled() {
        try (Pipe pipe = Pipe.open()) {
            Connection parent = pipe.left();
            Connection childEnd = pipe.right();
            try (ChildJvm child = ChildJvm.run(() -> {
                childEnd.send("ready");
                childEnd.recv();            // waits for ever: the parent never sends
            })) {
                assertEquals("ready", parent.recv());
                childEnd.close();
                child.kill();
                assertEof(parent::recv);
            }
        }
    }

    /**
     * A one-way pipe: the parent closes its copy of the sending end right after starting the child
     * (before the child has attached); the child sends three messages and exits without closing.
     * The parent receives all three, then end of stream.
     */
    @Test
    void dataThenEofWhenTheChildExits() {
        try (Pipe pipe = Pipe.open(false)) {
            Connection reader = pipe.left();
            Connection writer = pipe.right();
            try (ChildJvm child = ChildJvm.run(() -> {
                writer.send("one");
                writer.sendBytes(new byte[] {2});
                writer.send("three");
            })) {
                writer.close();
                assertEquals("one", reader.recv());
                assertArrayEquals(new byte[] {2}, reader.recvBytes());
                assertEquals("three", reader.recv());
                assertEof(reader::recv);
                assertExitsZero(child);
            }
        }
    }

    /**
     * Someone else deletes both rings of a duplex pipe from /dev/shm while a child echoes on it:
     * the two processes attached keep talking and lose nothing; handing an end to a new process
     * fails at once in the sender, naming the deleted file.
     */
    @Test
    void ringsDeletedFromDevShmKeepWorkingWhereMappedAndRefuseNewProcesses() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Connection parent = pipe.left();
            Connection childEnd = pipe.right();
            try (ChildJvm child = ChildJvm.run(() -> {
                for (Object m = childEnd.recv(); !"stop".equals(m); m = childEnd.recv()) {
                    childEnd.send(m);
                }
            })) {
                parent.send(0);
                assertEquals(0, parent.recv());          // the child is attached to both rings
                Path toChild = ShmRegistry.DIR.resolve(ShmRegistry.SEGMENT_PREFIX + childEnd.receivesFrom().name());
                Path toParent = ShmRegistry.DIR.resolve(ShmRegistry.SEGMENT_PREFIX + childEnd.sendsInto().name());
                assertTrue(Files.exists(toChild) && Files.exists(toParent));
                Files.delete(toChild);                   // as `rm /dev/shm/pyconc.q...` would
                Files.delete(toParent);
                for (int i = 1; i <= 1000; i++) {
                    parent.send(i);
                    assertEquals(i, parent.recv());
                }
                IllegalStateException refused = assertThrows(IllegalStateException.class,
                        () -> ChildJvm.run(() -> childEnd.send("never")));
                assertTrue(refused.getMessage().contains(toChild + " of this queue or pipe is gone"), refused.getMessage());
                parent.send("stop");
                assertExitsZero(child);
            }
        }
    }
}
