package io.github.pyconcurrent.socketserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bursts of connections: the forms for many connections listen with the kernel's somaxconn, so
 * thousands of connects at once are all served (with Python's backlog of 5, most of such a burst
 * waits out SYN retries of seconds to minutes); the Python-named classes keep Python's 5.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BurstTest {
    static final int BURST = 2_000;

    @TempDir
    Path dir;

    @Test
    void backlogDefaults() throws Exception {
        assertTrue(Listener.SOMAXCONN > 0);
        for (Kind kind : Kind.values()) {
            BaseServer server = kind.make(dir, Handlers.ECHO);
            try {
                boolean many = kind == Kind.VIRTUAL_THREADING_TCP || kind == Kind.GREENLET_TCP || kind.preforking();
                assertEquals(many ? Listener.SOMAXCONN : 5, server.requestQueueSize(), kind::name);
                server.setRequestQueueSize(17);
                assertEquals(17, server.requestQueueSize(), "a set size is obeyed");
            } finally {
                server.close();
            }
        }
        Leaks.assertNothingLeft(dir);
    }

    @Test
    void somaxconnFallsBackWhenUnreadable() {
        assertEquals(4096, Listener.somaxconn(dir.resolve("missing")));
    }

    /** 2,000 non-blocking connects at once, each sending a line; every one is echoed. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"VIRTUAL_THREADING_TCP", "GREENLET_TCP"})
    void burstOfConnectsIsFullyServed(Kind kind) throws Exception {
        java.util.Set<String> socketsBefore = Leaks.socketInodes();
        BaseServer server = kind.make(dir, Handlers.ECHO);
        Thread serving = kind.serve(server);
        try {
            assertEquals(BURST, burst(server.serverAddress(), BURST, TimeUnit.SECONDS.toNanos(60)),
                    "connections echoed within 60 s");
        } finally {
            server.shutdown();
            server.close();
            serving.join();
        }
        Leaks.assertNothingLeft(dir);
        assertEquals(List.of(), Leaks.leakedSockets(socketsBefore, dir), "sockets left open");
    }

    /**
     * Starts {@code n} non-blocking connects at once, sends each a line once connected and
     * counts the connections whose echo came back before {@code limitNanos}; closes them all.
     */
    static int burst(SocketAddress server, int n, long limitNanos) throws IOException {
        long deadline = System.nanoTime() + limitNanos;
        List<SocketChannel> channels = new ArrayList<>(n);
        int echoed = 0;
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < n; i++) {
                SocketChannel c = SocketChannel.open();
                channels.add(c);
                c.configureBlocking(false);
                byte[] line = ("burst " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                Conn conn = new Conn(ByteBuffer.wrap(line), ByteBuffer.allocate(line.length));
                if (c.connect(server)) {
                    c.write(conn.out);
                    c.register(selector, SelectionKey.OP_READ, conn);
                } else {
                    c.register(selector, SelectionKey.OP_CONNECT, conn);
                }
            }
            while (echoed < n && System.nanoTime() - deadline < 0) {
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel c = (SocketChannel) key.channel();
                    Conn conn = (Conn) key.attachment();
                    if (key.isConnectable()) {
                        c.finishConnect();
                        c.write(conn.out);
                        key.interestOps(SelectionKey.OP_READ);
                    } else if (key.isReadable()) {
                        if (c.read(conn.in) < 0) {
                            throw new IOException("a connection closed before its echo");
                        }
                        if (!conn.in.hasRemaining()) {
                            assertEquals(new String(conn.out.array(), StandardCharsets.US_ASCII),
                                    new String(conn.in.array(), StandardCharsets.US_ASCII));
                            key.cancel();
                            echoed++;
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } finally {
            for (SocketChannel c : channels) {
                c.close();
            }
        }
        return echoed;
    }

    private record Conn(ByteBuffer out, ByteBuffer in) {}

    static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
