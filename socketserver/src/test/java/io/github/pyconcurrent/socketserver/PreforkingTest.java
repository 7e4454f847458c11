package io.github.pyconcurrent.socketserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The preforking forms: connections served in warm worker JVMs (real child JVMs), a worker
 * SIGKILLed under load losing only its own connections and being replaced, workers recycled by
 * {@code maxRequestsPerChild} without losing a request, and nothing left after {@code serverClose()}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PreforkingTest {
    @TempDir
    Path dir;

    /** The first line of a connection is answered with the serving JVM's pid; later lines are echoed. */
    public static class PidThenEcho extends StreamRequestHandler {
        @Override
        protected void handle() throws Exception {
            byte[] line = rfile.readline();
            if (line.length == 0) {
                return;
            }
            wfile.write((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
            while ((line = rfile.readline()).length > 0) {
                wfile.write(line);
            }
        }
    }

    /** A client connection that speaks lines. */
    static final class Line implements AutoCloseable {
        final SocketChannel channel;
        private final ByteBuffer in = ByteBuffer.allocate(256).limit(0);

        Line(SocketAddress address) throws IOException {
            channel = SocketChannel.open(address);
        }

        /** Sends a line and reads the answer line (without its newline); IOException if the server went away. */
        String ask(String text) throws IOException {
            ByteBuffer out = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            StringBuilder answer = new StringBuilder();
            while (true) {
                while (in.hasRemaining()) {
                    char ch = (char) in.get();
                    if (ch == '\n') {
                        return answer.toString();
                    }
                    answer.append(ch);
                }
                in.clear();
                int n = channel.read(in);
                in.flip();
                if (n < 0) {
                    throw new IOException("end of stream: the server closed the connection");
                }
            }
        }

        long pid() throws IOException {
            return Long.parseLong(ask("pid?"));
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static PreforkDispatch prefork(BaseServer server) {
        return PreforkDispatch.of(server);
    }

    /** Every connection is served in a worker JVM, never the server's, and by the workers listed. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"PREFORKING_TCP", "PREFORKING_UNIX_STREAM"})
    void servesInWorkerJvms(Kind kind) throws Exception {
        BaseServer server = kind.make(dir, new Kind.Handlers(PidThenEcho.class, null));
        Thread serving = kind.serve(server);
        Set<Long> pids = new HashSet<>();
        try {
            List<Line> held = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Line c = new Line(server.serverAddress());
                held.add(c);
                pids.add(c.pid());
            }
            for (int i = 0; i < held.size(); i++) {
                assertEquals("line " + i, held.get(i).ask("line " + i), "a held connection echoes");
                held.get(i).close();
            }
            assertTrue(prefork(server).awaitWorkers(Duration.ofSeconds(120)), "every worker ready");
            List<Long> workers = workerPids(server);
            assertEquals(Kind.PREFORK_WORKERS, workers.size(), "workers: " + workers);
            assertTrue(workers.containsAll(pids), "served by " + pids + ", workers " + workers);
            assertFalse(pids.contains(ProcessHandle.current().pid()), "served in the server's own JVM");
        } finally {
            server.shutdown();
            server.close();
            serving.join();
        }
        Leaks.assertNothingLeft(dir);
    }

    static List<Long> workerPids(BaseServer server) {
        return server instanceof PreforkingTCPServer t ? t.workerPids() : ((PreforkingUnixStreamServer) server).workerPids();
    }

    /**
     * A worker SIGKILLed while every connection is busy: the connections it served fail, every
     * other one goes on to its end, new connections are served, and the worker is replaced.
     */
    @Test
    void aKilledWorkerLosesOnlyItsConnectionsAndIsReplaced() throws Exception {
        PreforkingTCPServer server = (PreforkingTCPServer) Kind.PREFORKING_TCP.make(dir, new Kind.Handlers(PidThenEcho.class, null));
        Thread serving = Kind.PREFORKING_TCP.serve(server);
        // Both workers ready first, so that round robin gives each of them connections.
        assertTrue(server.awaitWorkers(Duration.ofSeconds(120)), "workers ready");
        int clients = 8;
        int roundsAfterKill = 200;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch connected = new CountDownLatch(clients);
            CountDownLatch killed = new CountDownLatch(1);
            Map<Integer, Long> servedBy = new java.util.concurrent.ConcurrentHashMap<>();
            List<Future<Integer>> results = new ArrayList<>(); // rounds done after the kill; -1: the connection failed
            for (int i = 0; i < clients; i++) {
                int id = i;
                results.add(pool.submit(() -> {
                    try (Line c = new Line(server.serverAddress())) {
                        servedBy.put(id, c.pid());
                        connected.countDown();
                        try {
                            int round = 0;
                            while (killed.getCount() > 0) { // load while the worker is killed
                                assertEquals("r" + round, c.ask("r" + round));
                                round++;
                            }
                            for (int r = 0; r < roundsAfterKill; r++) {
                                assertEquals("k" + r, c.ask("k" + r));
                            }
                            return roundsAfterKill;
                        } catch (IOException e) {
                            return -1;
                        }
                    }
                }));
            }
            assertTrue(connected.await(120, TimeUnit.SECONDS), "clients connected");
            Set<Long> serving2 = new HashSet<>(servedBy.values());
            assertEquals(Kind.PREFORK_WORKERS, serving2.size(), "round robin uses both workers: " + servedBy);
            long victim = servedBy.get(0);
            ProcessHandle worker = ProcessHandle.of(victim).orElseThrow();
            assertTrue(worker.destroyForcibly(), "SIGKILL sent");
            worker.onExit().get(60, TimeUnit.SECONDS);
            killed.countDown();
            for (int i = 0; i < clients; i++) {
                int done = results.get(i).get(120, TimeUnit.SECONDS);
                if (servedBy.get(i) == victim) {
                    assertEquals(-1, done, "client " + i + " of the killed worker must see its connection end");
                } else {
                    assertEquals(roundsAfterKill, done, "client " + i + " of a surviving worker must be served to its end");
                }
            }
            // New connections are served, and the dead worker is replaced.
            BadClientsTest.waitUntil(() -> !server.workerPids().contains(victim)); // the dispatcher saw it end
            assertTrue(server.awaitWorkers(Duration.ofSeconds(120)), "a replacement is ready");
            List<Long> now = server.workerPids();
            assertFalse(now.contains(victim), "the killed worker is still listed: " + now);
            assertEquals(Kind.PREFORK_WORKERS, now.size(), "a replacement was started: " + now);
            Set<Long> after = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                try (Line c = new Line(server.serverAddress())) {
                    after.add(c.pid());
                    assertEquals("after", c.ask("after"));
                }
            }
            assertTrue(now.containsAll(after), "served by " + after + ", workers " + now);
            assertFalse(after.contains(victim));
        } finally {
            pool.shutdownNow();
            server.shutdown();
            server.close();
            serving.join();
        }
        Leaks.assertNothingLeft(dir);
    }

    /**
     * With maxRequestsPerChild 3, no worker serves more than 3 connections, every request is
     * answered (none lost while workers are replaced), and a retired worker serves a connection
     * it holds to its end.
     */
    @Test
    void maxRequestsPerChildRecyclesWithoutLosingARequest() throws Exception {
        PreforkingTCPServer server = (PreforkingTCPServer) Kind.PREFORKING_TCP.make(dir, new Kind.Handlers(PidThenEcho.class, null));
        server.setMaxRequestsPerChild(3);
        assertEquals(3, server.maxRequestsPerChild());
        Thread serving = Kind.PREFORKING_TCP.serve(server);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            // A connection held open across its worker's retirement is served to its end.
            Line held = new Line(server.serverAddress());
            long heldBy = held.pid();
            List<Future<Long>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                answers.add(pool.submit(() -> {
                    try (Line c = new Line(server.serverAddress())) {
                        long pid = c.pid();
                        assertEquals("req " + n, c.ask("req " + n));
                        return pid;
                    }
                }));
            }
            Map<Long, Integer> perWorker = new HashMap<>();
            perWorker.put(heldBy, 1);
            for (Future<Long> f : answers) {
                perWorker.merge(f.get(120, TimeUnit.SECONDS), 1, Integer::sum);
            }
            for (Map.Entry<Long, Integer> e : perWorker.entrySet()) {
                assertTrue(e.getValue() <= 3, "worker " + e.getKey() + " served " + e.getValue() + " connections");
            }
            assertTrue(perWorker.size() >= 41 / 3, "workers used: " + perWorker);
            assertFalse(server.workerPids().contains(heldBy), "the held connection's worker retired");
            assertTrue(ProcessHandle.of(heldBy).map(ProcessHandle::isAlive).orElse(false),
                    "a retired worker waits for the connection it holds");
            assertEquals("still here", held.ask("still here"));
            held.close();
            ProcessHandle.of(heldBy).ifPresent(p -> p.onExit().join());
        } finally {
            pool.shutdownNow();
            server.shutdown();
            server.close();
            serving.join();
        }
        Leaks.assertNothingLeft(dir);
    }

    /** serverClose() retires busy workers (their connections served to the end) and leaves no worker JVM. */
    @Test
    void closeWaitsForWorkersAndLeavesNothing() throws Exception {
        PreforkingTCPServer server = (PreforkingTCPServer) Kind.PREFORKING_TCP.make(dir, new Kind.Handlers(PidThenEcho.class, null));
        Thread serving = Kind.PREFORKING_TCP.serve(server);
        Line held = new Line(server.serverAddress());
        long pid = held.pid();
        server.shutdown();
        serving.join();
        Thread closer = new Thread(server::serverClose, "closer");
        closer.start();
        // The worker still serves the held connection while the server closes.
        assertEquals("during close", held.ask("during close"));
        held.close();
        closer.join();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker JVM left running");
        Leaks.assertNothingLeft(dir);
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> Dispatch.preforking(0));
        PreforkingTCPServer server = new PreforkingTCPServer(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), Handlers.LineEcho.class, 1, false);
        try {
            assertThrows(IllegalArgumentException.class, () -> server.setMaxRequestsPerChild(-1));
            assertEquals(List.of(), server.workerPids(), "no worker before activation");
        } finally {
            server.close();
        }
    }

    /** A client address survives the trip to the worker: family, bytes, port. */
    @Test
    void handOverMessageCarriesTheClientAddress() throws Exception {
        SocketAddress inet = new java.net.InetSocketAddress(java.net.InetAddress.getByName("127.0.0.2"), 54321);
        byte[] m = PreforkWorker.message(java.net.StandardProtocolFamily.INET, inet);
        assertEquals(PreforkWorker.MESSAGE_BYTES, m.length);
        assertEquals(inet, PreforkWorker.clientAddress(m));
        assertEquals(java.net.StandardProtocolFamily.INET, PreforkWorker.family(m));
        SocketAddress unix = java.net.UnixDomainSocketAddress.of("/tmp/x.sock");
        byte[] u = PreforkWorker.message(java.net.StandardProtocolFamily.UNIX, unix);
        assertEquals(unix, PreforkWorker.clientAddress(u));
        assertNotEquals(PreforkWorker.family(m), PreforkWorker.family(u));
    }
}
