package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pipe and Connection within one JVM: Python's semantics, end of stream, misuse. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PipeTest {
    @AfterAll
    static void nothingLeftBehind() {
        Leaks.assertNothingLeft();
    }

    /** A duplex pipe carries objects both ways, in order. */
    @Test
    void duplexBothWays() {
        try (Pipe p = Pipe.open()) {
            p.left().send("to right");
            p.left().send(List.of(1, 2, 3));
            p.right().send(42);
            assertEquals("to right", p.right().recv());
            assertEquals(List.of(1, 2, 3), p.right().recv());
            assertEquals(42, p.left().recvAs(Integer.class));
            assertTrue(p.left().readable() && p.left().writable());
        }
    }

    /** Pipe(duplex=False): left only receives, right only sends; misuse is IllegalStateException. */
    @Test
    void oneWayMisuse() {
        try (Pipe p = Pipe.open(false)) {
            p.right().send("x");
            assertEquals("x", p.left().recv());
            assertThrows(IllegalStateException.class, () -> p.left().send("no"));
            assertThrows(IllegalStateException.class, () -> p.left().sendBytes(new byte[1]));
            assertThrows(IllegalStateException.class, () -> p.right().recv());
            assertThrows(IllegalStateException.class, () -> p.right().poll());
            assertFalse(p.left().writable());
            assertFalse(p.right().readable());
        }
    }

    /** sendBytes/recvBytes carry raw messages, empty ones and ones wrapping a small ring included. */
    @Test
    void bytesMessages() {
        try (Pipe p = Pipe.open(true, 4096)) {
            p.left().sendBytes(new byte[0]);
            assertArrayEquals(new byte[0], p.right().recvBytes());
            for (int i = 0; i < 300; i++) {
                byte[] m = QueueTest.filled(i, (i * 37) % 3000);
                p.left().sendBytes(m);
                assertArrayEquals(m, p.right().recvBytes());
            }
        }
    }

    /** A message larger than the ring is streamed in pieces while the other end reads. */
    @Test
    void messagesLargerThanTheRingTravelInPieces() throws Exception {
        try (Pipe p = Pipe.open(true, 4096)) {
            byte[] big = QueueTest.filled(5, 50_000);
            Thread sender = Thread.ofPlatform().start(() -> {
                p.left().sendBytes(big);
                p.left().send(List.of(big.length, "after"));
            });
            assertArrayEquals(big, p.right().recvBytes());
            assertEquals(List.of(big.length, "after"), p.right().recv());
            sender.join();
        }
    }

    /** Python's BrokenPipeError: a send to an end whose every holder closed it fails at once, naming it. */
    @Test
    void sendingToAClosedEndIsABrokenPipe() {
        try (Pipe p = Pipe.open()) {
            p.left().send("read by nobody: the end closes with it unread");
            p.right().close();
            BrokenPipeError e = assertThrows(BrokenPipeError.class, () -> p.left().send("lost"));
            assertTrue(e.getMessage().contains("broken pipe"), e.getMessage());
            assertThrows(BrokenPipeError.class, () -> p.left().sendBytes(new byte[16]));
        }
    }

    /** poll without data is false (with and without a wait), with data true; poll does not consume. */
    @Test
    void pollWithAndWithoutData() {
        try (Pipe p = Pipe.open()) {
            assertFalse(p.right().poll());
            assertFalse(p.right().poll(Duration.ofMillis(30)));
            p.left().send("m");
            assertTrue(p.right().poll());
            assertTrue(p.right().poll(Duration.ofMillis(30)));
            assertEquals("m", p.right().recv());
            assertFalse(p.right().poll());
        }
    }

    /** When the other end is closed, recv returns what was sent, then throws UncheckedIOException(EOFException). */
    @Test
    void dataThenEofWhenTheOtherEndIsClosed() {
        try (Pipe p = Pipe.open()) {
            p.right().send("a");
            p.right().send("b");
            p.right().close();
            assertTrue(p.left().poll());
            assertEquals("a", p.left().recv());
            assertEquals("b", p.left().recv());
            assertTrue(p.left().poll(), "at end of stream poll is true, as Python");
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> p.left().recv());
            assertInstanceOf(EOFException.class, e.getCause());
            assertThrows(UncheckedIOException.class, () -> p.left().recvBytes());
        }
    }

    /** A recv blocked on an open pipe ends with EOF when the other end is closed meanwhile. */
    @Test
    void blockedRecvSeesEof() throws Exception {
        try (Pipe p = Pipe.open(false)) {
            Thread closer = Thread.ofPlatform().start(() -> {
                p.right().send("last");
                p.right().close();
            });
            assertEquals("last", p.left().recv());
            assertThrows(UncheckedIOException.class, () -> p.left().recv());
            closer.join();
        }
    }

    /** A send that waits for room on a pipe whose receiving end is closed fails: broken pipe. */
    @Test
    void brokenPipe() {
        try (Pipe p = Pipe.open(false, 4096)) {
            p.left().close();
            assertThrows(UncheckedIOException.class, () -> {
                for (int i = 0; i < 10; i++) {
                    p.right().sendBytes(new byte[1000]);
                }
            });
        }
    }

    /** A closed connection refuses everything with IllegalStateException; close is idempotent. */
    @Test
    void closedConnection() {
        try (Pipe p = Pipe.open()) {
            p.left().close();
            p.left().close();
            assertTrue(p.left().closed());
            assertThrows(IllegalStateException.class, () -> p.left().send("x"));
            assertThrows(IllegalStateException.class, () -> p.left().recv());
            assertThrows(IllegalStateException.class, () -> p.left().poll());
            assertThrows(IllegalStateException.class, () -> Serial.toBytes(p.left()));
        }
    }

    /** A handle read back in its own JVM is the same connection. */
    @Test
    void handleInTheSameJvmIsTheSameObject() {
        try (Pipe p = Pipe.open()) {
            assertSame(p.right(), Serial.read(Serial.toBytes(p.right())));
        }
    }
}
