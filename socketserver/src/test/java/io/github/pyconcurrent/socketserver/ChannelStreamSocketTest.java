package io.github.pyconcurrent.socketserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A timed Unix stream socket's sendall waits for a full send buffer to drain, within its timeout. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelStreamSocketTest {
    /** Far more than a Unix socket's send and receive buffers hold together. */
    private static final int LARGE = 16 << 20;

    @TempDir
    Path dir;

    @Test
    void sendallToAPeerThatReadsDeliversEverything() throws Exception {
        try (ServerSocketChannel listening = listen();
             SocketChannel peer = SocketChannel.open(listening.getLocalAddress());
             ChannelStreamSocket socket = new ChannelStreamSocket(listening.accept())) {
            socket.settimeout(Duration.ofSeconds(30));
            byte[] data = new byte[LARGE];
            new Random(7).nextBytes(data);
            CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> readFully(peer, LARGE));
            socket.sendall(data);   // the buffer fills many times over and drains as the peer reads
            assertArrayEquals(data, read.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void sendallToAPeerThatNeverReadsTimesOut() throws Exception {
        try (ServerSocketChannel listening = listen();
             SocketChannel peer = SocketChannel.open(listening.getLocalAddress());
             ChannelStreamSocket socket = new ChannelStreamSocket(listening.accept())) {
            socket.settimeout(Duration.ofMillis(300));
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> socket.sendall(new byte[LARGE]));
            assertInstanceOf(SocketTimeoutException.class, e.getCause());
        }
    }

    private ServerSocketChannel listen() throws Exception {
        ServerSocketChannel listening = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listening.bind(UnixDomainSocketAddress.of(dir.resolve("s.sock")));
        return listening;
    }

    /** Reads {@code n} bytes from {@code peer} (fewer at end of stream; the rest stay zero). Shared with ReadPollerTest. */
    static byte[] readFully(SocketChannel peer, int n) {
        ByteBuffer buf = ByteBuffer.allocate(n);
        try {
            while (buf.hasRemaining()) {
                if (peer.read(buf) < 0) {
                    break;
                }
            }
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.array();
    }
}
