package io.github.pyconcurrent.socketserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.multiprocessing.Connection;
import io.github.pyconcurrent.multiprocessing.Pipe;
import io.github.pyconcurrent.multiprocessing.Process;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Many clients at once, bad clients among them, and the forking server's bound on children. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConcurrencyTest {
    /** How many connections the virtual-thread and greenlet servers hold at once; needs twice that many descriptors (clients in a child JVM). */
    static final int CONNECTIONS = Integer.getInteger("pyconcurrent.socketserver.test.connections", 10_000);

    @TempDir
    Path dir;

    /** Counts the connections being handled, for the many-connections test. */
    public static class Held extends StreamRequestHandler {
        static final AtomicInteger OPEN = new AtomicInteger();
        static volatile CountDownLatch finished = new CountDownLatch(0);

        @Override
        protected void setup() throws Exception {
            OPEN.incrementAndGet();
            super.setup();
        }

        @Override
        protected void handle() throws Exception {
            byte[] line;
            while ((line = rfile.readline()).length > 0) {
                wfile.write(line);
            }
        }

        @Override
        protected void finish() throws Exception {
            try {
                super.finish();
            } finally {
                OPEN.decrementAndGet();
                finished.countDown();
            }
        }
    }

    /** The servers for many mostly-idle connections hold CONNECTIONS at once (clients in a child JVM: descriptors). */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"VIRTUAL_THREADING_TCP", "GREENLET_TCP"})
    void holdsTenThousandConnections(Kind kind) throws Exception {
        Held.OPEN.set(0);
        Held.finished = new CountDownLatch(CONNECTIONS);
        BaseServer server = kind.make(dir, new Kind.Handlers(Held.class, null));
        server.setRequestQueueSize(128);
        Thread serving = kind.serve(server);
        Pipe pipe = Pipe.open();
        Connection ctl = pipe.left();
        Connection childEnd = pipe.right();
        SocketAddress address = server.serverAddress();
        int n = CONNECTIONS;
        Process clients = new Process("clients", () -> holdConnections(address, n, childEnd));
        try {
            clients.start();
            assertTrue(ctl.poll(Duration.ofSeconds(150)), "the clients did not report");
            assertEquals("ready", ctl.recv());
            assertEquals(CONNECTIONS, Held.OPEN.get(), "connections served at once");
            ctl.send("close");
            assertTrue(clients.join(Duration.ofSeconds(60)));
            assertEquals(0, clients.exitCode());
            assertTrue(Held.finished.await(60, TimeUnit.SECONDS), "handlers still running: " + Held.OPEN.get());
        } finally {
            server.shutdown();
            server.close();
            serving.join();
            if (clients.isAlive()) {
                clients.kill();
                clients.join();
            }
            clients.close();
            pipe.left().close();
            pipe.right().close();
        }
        assertEquals(0, Held.OPEN.get());
        Leaks.assertNothingLeft(dir);
    }

    /** In the clients' JVM: opens n connections, each echoing once, reports, waits for the word, closes them. */
    static void holdConnections(SocketAddress server, int n, Connection ctl) throws IOException {
        List<SocketChannel> open = new ArrayList<>(n);
        try {
            ByteBuffer reply = ByteBuffer.allocate(3);
            for (int i = 0; i < n; i++) {
                SocketChannel c = SocketChannel.open(server);
                open.add(c);
                c.write(ByteBuffer.wrap("hi\n".getBytes(StandardCharsets.US_ASCII)));
                reply.clear();
                while (reply.hasRemaining() && c.read(reply) >= 0) {
                    // until the echo is back
                }
                if (reply.hasRemaining()) {
                    throw new IOException("connection " + i + " closed early");
                }
            }
            ctl.send("ready");
            ctl.recv();
        } finally {
            for (SocketChannel c : open) {
                c.close();
            }
        }
    }

    /**
     * Bad clients never hurt others: one connects and sends nothing, one sends garbage, one resets
     * mid-request, fifty arrive at once beyond the listen backlog; well-behaved clients are served
     * throughout, and nothing is left once they are gone.
     */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"THREADING_TCP", "VIRTUAL_THREADING_TCP", "GREENLET_TCP", "THREADING_UNIX_STREAM"})
    void badClientsDoNotHurtOthers(Kind kind) throws Exception {
        java.util.Set<String> socketsBefore = Leaks.socketInodes();
        BaseServer server = kind.make(dir, Handlers.ECHO);
        SocketAddress address = server.serverAddress();
        Thread serving = kind.serve(server);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try (SocketChannel silent = SocketChannel.open(address)) {
            Clients.assertEcho(kind, address, dir);

            try (SocketChannel garbage = SocketChannel.open(address)) {
                byte[] junk = new byte[1000];
                new java.util.Random(8).nextBytes(junk);
                garbage.write(ByteBuffer.wrap(junk));
            }
            SocketChannel midway = SocketChannel.open(address);
            midway.write(ByteBuffer.wrap("half a li".getBytes(StandardCharsets.US_ASCII)));
            if (kind.transport == Kind.Transport.TCP) {
                midway.setOption(StandardSocketOptions.SO_LINGER, 0); // close sends a reset
            }
            midway.close();
            Clients.assertEcho(kind, address, dir);

            // Beyond the backlog the kernel may refuse or reset a connection (that is the
            // client's lot, as in Python); every connection that got through is echoed.
            List<Future<String>> flood = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String line = "flood " + i + "\n";
                flood.add(pool.submit(() -> {
                    try {
                        return Clients.streamRoundTrip(address, line);
                    } catch (IOException e) {
                        return "refused";
                    }
                }));
            }
            int served = 0;
            for (int i = 0; i < 50; i++) {
                String got = flood.get(i).get(60, TimeUnit.SECONDS);
                if (!got.equals("refused")) {
                    assertEquals("flood " + i + "\n", got);
                    served++;
                }
            }
            assertTrue(served > 0, "no client of the flood got through");
            Clients.assertEcho(kind, address, dir);
        } finally {
            pool.shutdownNow();
            server.shutdown();
            server.close();
            serving.join();
        }
        Leaks.assertNothingLeft(dir);
        assertEquals(List.of(), Leaks.leakedSockets(socketsBefore, dir), "sockets left open");
    }

    /** A forking server never runs more than maxChildren; the request beyond waits, and says so in the log. */
    @Test
    void forkingWaitsForRoomAtMaxChildren() throws Exception {
        CountDownLatch logged = new CountDownLatch(1);
        Logger log = Logger.getLogger(ForkDispatch.class.getName());
        Handler watcher = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getMessage() != null && r.getMessage().contains("maxChildren 1")) {
                    logged.countDown();
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        log.addHandler(watcher);
        BaseServer server = Kind.FORKING_TCP.make(dir, Handlers.ECHO);
        server.setMaxChildren(1);
        Thread serving = Kind.FORKING_TCP.serve(server);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            SocketChannel first = SocketChannel.open(server.serverAddress()); // its child holds the only place
            first.write(ByteBuffer.wrap("first\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer echo = ByteBuffer.allocate(6);
            while (echo.hasRemaining() && first.read(echo) >= 0) {
                // the first child is serving
            }
            Future<String> second = pool.submit(() -> Clients.streamRoundTrip(server.serverAddress(), "second\n"));
            assertTrue(logged.await(60, TimeUnit.SECONDS), "no log line about waiting for a child");
            assertTrue(!second.isDone(), "served beyond maxChildren");
            first.shutdownOutput();
            assertEquals("first\n", new String(echo.array(), StandardCharsets.US_ASCII));
            assertEquals("", Clients.readAll(first));
            first.close();
            assertEquals("second\n", second.get(60, TimeUnit.SECONDS));
        } finally {
            log.removeHandler(watcher);
            pool.shutdownNow();
            server.shutdown();
            server.close();
            serving.join();
        }
        Leaks.assertNothingLeft(dir);
    }
}
