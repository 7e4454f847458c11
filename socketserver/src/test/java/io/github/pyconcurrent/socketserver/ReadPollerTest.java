package io.github.pyconcurrent.socketserver;

import static io.github.pyconcurrent.socketserver.ChannelStreamSocketTest.readFully;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reads of a {@link ChannelStreamSocket} on a virtual thread that wait through {@link ReadPoller}
 * (edge-triggered, registered once): every byte is read whether it comes in pieces or all at
 * once, a close or an interrupt wakes a waiting reader, timeouts still work, and a full send
 * buffer is waited out.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadPollerTest {
    @BeforeAll
    static void pollerRunsHere() {
        // The tests run with the toolkit's flags, which open sun.nio.ch: the poller must be there.
        assertTrue(ReadPoller.AVAILABLE, "ReadPoller needs Linux and --add-opens java.base/sun.nio.ch");
    }

    @Test
    void echoesManyExchangesAndSeesTheEndOfStream() throws Exception {
        try (ServerSocketChannel listening = listen();
             SocketChannel peer = SocketChannel.open(listening.getLocalAddress());
             ChannelStreamSocket socket = new ChannelStreamSocket(listening.accept())) {
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread echo = Thread.ofVirtual().start(() -> {
                try {
                    byte[] got;
                    while ((got = socket.recv(64)).length > 0) {
                        socket.sendall(got);
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            for (int i = 0; i < 500; i++) {
                byte[] line = ("line " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                peer.write(ByteBuffer.wrap(line));
                assertArrayEquals(line, readFully(peer, line.length), "exchange " + i);
            }
            assertTrue(socket.watched(), "the reads after a drained one waited through the poller");
            peer.shutdownOutput();
            echo.join();
            assertEquals(null, failed.get());
        }
    }

    @Test
    void bytesSentInManyPiecesWithoutWaitingAreAllRead() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(11).nextBytes(data);
        try (ServerSocketChannel listening = listen();
             SocketChannel peer = SocketChannel.open(listening.getLocalAddress());
             ChannelStreamSocket socket = new ChannelStreamSocket(listening.accept())) {
            CompletableFuture<byte[]> read = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                try {
                    byte[] got;
                    while ((got = socket.recv(100)).length > 0) {   // short reads: many drained ones
                        all.writeBytes(got);
                    }
                    read.complete(all.toByteArray());
                } catch (Throwable t) {
                    read.completeExceptionally(t);
                }
            });
            // Pieces of every size, some arriving while the reader reads, some while it waits.
            Random sizes = new Random(3);
            for (int off = 0; off < data.length; ) {
                int n = Math.min(data.length - off, 1 + sizes.nextInt(300));
                ByteBuffer piece = ByteBuffer.wrap(data, off, n);
                while (piece.hasRemaining()) {
                    peer.write(piece);
                }
                off += n;
            }
            peer.shutdownOutput();
            assertArrayEquals(data, read.get(30, TimeUnit.SECONDS));
            assertTrue(socket.watched());
        }
    }

    @Test
    void closeFromAnotherThreadWakesAWaitingReader() throws Exception {
        try (ServerSocketChannel listening = listen();
             SocketChannel peer = SocketChannel.open(listening.getLocalAddress());
             ChannelStreamSocket socket = new ChannelStreamSocket(listening.accept())) {
            CompletableFuture<byte[]> second = new CompletableFuture<>();
            Thread reader = waitingReader(socket, peer, second);
            socket.close();
            reader.join();
            // Either an error (the channel closed under the read) or nothing: never a hang.
            if (!second.isCompletedExceptionally()) {
                assertEquals(0, second.get().length);
            }
        }
    }

    @Test
    void interruptWakesAWaitingReaderAndClosesTheChannel() throws Exception {
        try (ServerSocketChannel listening = listen();
             SocketChannel peer = SocketChannel.open(listening.getLocalAddress());
             ChannelStreamSocket socket = new ChannelStreamSocket(listening.accept())) {
            CompletableFuture<byte[]> second = new CompletableFuture<>();
            Thread reader = waitingReader(socket, peer, second);
            reader.interrupt();
            reader.join();
            Throwable e = assertThrows(java.util.concurrent.ExecutionException.class, second::get).getCause();
            assertInstanceOf(UncheckedIOException.class, e);
            assertInstanceOf(ClosedByInterruptException.class, e.getCause());
            assertFalse(socket.channel().isOpen(), "an interrupted read closes the channel, as the JDK's does");
        }
    }

    @Test
    void aTimeoutSetAfterWatchingStillTimesOutAndUntimedReadsWaitAgain() throws Exception {
        try (ServerSocketChannel listening = listen();
             SocketChannel peer = SocketChannel.open(listening.getLocalAddress());
             ChannelStreamSocket socket = new ChannelStreamSocket(listening.accept())) {
            CompletableFuture<String> outcome = new CompletableFuture<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    socket.sendall(socket.recv(64));       // then the next read waits through the poller
                    socket.settimeout(Duration.ofMillis(200));
                    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> socket.recv(64));
                    assertInstanceOf(SocketTimeoutException.class, e.getCause());
                    socket.settimeout(null);
                    socket.sendall("timed out".getBytes(StandardCharsets.US_ASCII));
                    outcome.complete(new String(socket.recv(64), StandardCharsets.US_ASCII));
                } catch (Throwable t) {
                    outcome.completeExceptionally(t);
                }
            });
            peer.write(ByteBuffer.wrap(new byte[] {'a'}));
            assertArrayEquals(new byte[] {'a'}, readFully(peer, 1));
            assertEquals("timed out", new String(readFully(peer, 9), StandardCharsets.US_ASCII));
            peer.write(ByteBuffer.wrap("after".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("after", outcome.get(30, TimeUnit.SECONDS));
            reader.join();
            assertTrue(socket.watched());
        }
    }

    @Test
    void sendallOnAWatchedSocketWaitsOutAFullSendBuffer() throws Exception {
        byte[] data = new byte[16 << 20];
        new Random(5).nextBytes(data);
        try (ServerSocketChannel listening = listen();
             SocketChannel peer = SocketChannel.open(listening.getLocalAddress());
             ChannelStreamSocket socket = new ChannelStreamSocket(listening.accept())) {
            CompletableFuture<Void> sent = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    socket.sendall(socket.recv(64));
                    socket.recv(64);     // drained before: waited through the poller, non-blocking since
                    socket.sendall(data); // far more than the buffers hold: write returns 0 many times
                    sent.complete(null);
                } catch (Throwable t) {
                    sent.completeExceptionally(t);
                }
            });
            peer.write(ByteBuffer.wrap(new byte[] {1}));
            assertArrayEquals(new byte[] {1}, readFully(peer, 1));
            peer.write(ByteBuffer.wrap(new byte[] {2}));
            assertArrayEquals(data, readFully(peer, data.length));
            sent.get(30, TimeUnit.SECONDS);
            assertTrue(socket.watched());
        }
    }

    /**
     * A virtual thread that makes one exchange (so that its next read waits through the poller)
     * and then waits in a second read, whose outcome goes to {@code second}; returned once it is
     * parked there.
     */
    private static Thread waitingReader(ChannelStreamSocket socket, SocketChannel peer,
                                        CompletableFuture<byte[]> second) throws Exception {
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                socket.sendall(socket.recv(64));
                second.complete(socket.recv(64));
            } catch (Throwable t) {
                second.completeExceptionally(t);
            }
        });
        peer.write(ByteBuffer.wrap(new byte[] {'x'}));
        assertArrayEquals(new byte[] {'x'}, readFully(peer, 1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (reader.getState() != Thread.State.WAITING || !socket.watched()) {
            assertTrue(System.nanoTime() < deadline, "the reader never waited");
            Thread.onSpinWait();
        }
        return reader;
    }

    private static ServerSocketChannel listen() throws Exception {
        ServerSocketChannel listening = ServerSocketChannel.open();
        listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return listening;
    }
}
