package io.github.pyconcurrent.socketserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

/**
 * A forking server under a crowd: its loop keeps accepting while child JVMs start or while
 * {@code maxChildren} are busy (the clients wait in its queue, not in the listen backlog), it
 * says so once, and every persistent client is served.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ForkingLoadTest {
    /**
     * Persistent clients served at once, each by a child JVM of its own. 16 by default: the
     * children start a few at a time (ForkDispatch.MAX_STARTING), and on a loaded 2-CPU machine 64
     * took 222 s (passed, 2026-12-07, {@code -Dpyconcurrent.socketserver.test.forkingClients=64}).
     */
    static final int PERSISTENT = Integer.getInteger("pyconcurrent.socketserver.test.forkingClients", 16);

    @TempDir
    Path dir;

    /** Counts the log lines about waiting for room. */
    static final class Watcher extends Handler implements AutoCloseable {
        final AtomicInteger lines = new AtomicInteger();
        final CountDownLatch first = new CountDownLatch(1);
        private final Logger log = Logger.getLogger(ForkDispatch.class.getName());
        private final String needle;

        Watcher(String needle) {
            this.needle = needle;
            log.addHandler(this);
        }

        @Override
        public void publish(LogRecord r) {
            if (r.getMessage() != null && r.getMessage().contains(needle)) {
                lines.incrementAndGet();
                first.countDown();
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            log.removeHandler(this);
        }
    }

    /**
     * While the only child serves a client, the loop goes on accepting: the next clients are taken
     * off the backlog into the queue (beyond the backlog of 5), logged once, and served in turn.
     */
    @Test
    void acceptsWhileChildrenAreBusyAndLogsOnce() throws Exception {
        int waiting = 12; // more than the listen backlog of 5: they must leave the backlog to all connect
        BaseServer server = Kind.FORKING_TCP.make(dir, Handlers.ECHO);
        server.setMaxChildren(1);
        ForkDispatch forks = (ForkDispatch) server.dispatch;
        Thread serving = Kind.FORKING_TCP.serve(server);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<SocketChannel> held = new ArrayList<>();
        try (Watcher watcher = new Watcher("maxChildren 1")) {
            SocketChannel first = SocketChannel.open(server.serverAddress());
            held.add(first);
            first.write(ByteBuffer.wrap("first\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer echo = ByteBuffer.allocate(6);
            while (echo.hasRemaining() && first.read(echo) >= 0) {
                // the first child is serving
            }
            List<SocketChannel> crowd = new ArrayList<>();
            for (int i = 0; i < waiting; i++) {
                SocketChannel c = SocketChannel.open(server.serverAddress());
                held.add(c);
                crowd.add(c);
                c.write(ByteBuffer.wrap(("crowd " + i + "\n").getBytes(StandardCharsets.US_ASCII)));
                c.shutdownOutput();
            }
            assertTrue(watcher.first.await(60, TimeUnit.SECONDS), "no log line about waiting for a child");
            while (forks.queued() < waiting) {
                // every client is accepted without a child to serve it (the serving loop queues
                // them at once; the old loop blocked on the first); bounded by the test's timeout
                Thread.onSpinWait();
                Thread.yield();
            }
            assertEquals(waiting, forks.queued());
            assertEquals(1, forks.activeChildren(), "beyond maxChildren");
            first.shutdownOutput();
            assertEquals("", Clients.readAll(first));
            List<Future<String>> replies = new ArrayList<>();
            for (SocketChannel c : crowd) {
                replies.add(pool.submit(() -> Clients.readAll(c)));
            }
            for (int i = 0; i < waiting; i++) {
                assertEquals("crowd " + i + "\n", replies.get(i).get(120, TimeUnit.SECONDS));
            }
            assertEquals(1, watcher.lines.get(), "logged once while the queue did not empty");
        } finally {
            for (SocketChannel c : held) {
                c.close();
            }
            pool.shutdownNow();
            server.shutdown();
            server.close();
            serving.join();
        }
        Leaks.assertNothingLeft(dir);
    }

    /** Many persistent clients connecting at once, each served by a child of its own, all echoed, twice each. */
    @Test
    void servesEveryPersistentClient() throws Exception {
        BaseServer server = Kind.FORKING_TCP.make(dir, Handlers.ECHO);
        server.setMaxChildren(PERSISTENT);
        Thread serving = Kind.FORKING_TCP.serve(server);
        SocketAddress address = server.serverAddress();
        List<SocketChannel> clients = new ArrayList<>();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (int i = 0; i < PERSISTENT; i++) {
                SocketChannel c = SocketChannel.open(address);
                clients.add(c);
                c.write(ByteBuffer.wrap(("one " + i + "\n").getBytes(StandardCharsets.US_ASCII)));
            }
            List<Future<String>> firsts = new ArrayList<>();
            for (SocketChannel c : clients) {
                firsts.add(pool.submit(() -> readLine(c)));
            }
            for (int i = 0; i < PERSISTENT; i++) {
                assertEquals("one " + i + "\n", firsts.get(i).get(240, TimeUnit.SECONDS), "client " + i);
            }
            // all connections are still open, each with a child of its own: a second round on each
            for (int i = 0; i < PERSISTENT; i++) {
                SocketChannel c = clients.get(i);
                c.write(ByteBuffer.wrap(("two " + i + "\n").getBytes(StandardCharsets.US_ASCII)));
                assertEquals("two " + i + "\n", readLine(c));
            }
            assertEquals(PERSISTENT, ((ForkDispatch) server.dispatch).activeChildren());
        } finally {
            for (SocketChannel c : clients) {
                c.close();
            }
            pool.shutdownNow();
            server.shutdown();
            server.close();
            serving.join();
        }
        Leaks.assertNothingLeft(dir);
    }

    static String readLine(SocketChannel c) throws IOException {
        StringBuilder line = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (c.read(one) < 0) {
                throw new IOException("end of stream after \"" + line + "\"");
            }
            char ch = (char) one.get(0);
            line.append(ch);
            if (ch == '\n') {
                return line.toString();
            }
        }
    }
}
