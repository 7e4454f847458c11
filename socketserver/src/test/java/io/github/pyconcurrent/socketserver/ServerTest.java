package io.github.pyconcurrent.socketserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What CPython's test_socketserver checks of every server class, and shutdown's promises. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServerTest {
    @TempDir
    Path dir;

    /** Each server class echoes correctly for three clients in a row, then closes leaving nothing. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void echoesThreeClientsInARow(Kind kind) throws Exception {
        BaseServer server = kind.make(dir, Handlers.ECHO);
        SocketAddress address = server.serverAddress();
        Thread serving = kind.serve(server);
        try {
            for (int i = 0; i < 3; i++) {
                Clients.assertEcho(kind, address, dir);
            }
        } finally {
            server.shutdown();
            server.serverClose();
            serving.join();
        }
        if (address instanceof UnixDomainSocketAddress u) {
            assertFalse(Files.exists(u.getPath()), "serverClose() removes the socket file");
        }
        Leaks.assertNothingLeft(dir);
    }

    /** shutdown() from another thread right after the serving thread starts, twenty servers in a row. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"TCP", "THREADING_TCP", "VIRTUAL_THREADING_TCP", "GREENLET_TCP", "UDP",
        "UNIX_STREAM", "UNIX_DATAGRAM", "FORKING_TCP"})
    void shutdownRightAfterStart(Kind kind) throws Exception {
        for (int i = 0; i < 20; i++) {
            try (BaseServer server = kind.make(dir, Handlers.ECHO)) {
                Thread serving = kind.serve(server);
                server.shutdown();
                serving.join();
            }
        }
        Leaks.assertNothingLeft(dir);
    }

    /** The server is reusable after shutdown, and shutdown of a closed server returns at once. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"TCP", "GREENLET_TCP", "UNIX_DATAGRAM"})
    void serveAgainAfterShutdown(Kind kind) throws Exception {
        BaseServer server = kind.make(dir, Handlers.ECHO);
        for (int round = 0; round < 2; round++) {
            Thread serving = kind.serve(server);
            Clients.assertEcho(kind, server.serverAddress(), dir);
            server.shutdown();
            serving.join();
        }
        server.close();
        server.shutdown(); // closed: returns
        Leaks.assertNothingLeft(dir);
    }

    /** A handler's exception goes to handleError; the server serves the next client. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"TCP", "THREADING_TCP", "VIRTUAL_THREADING_TCP", "GREENLET_TCP",
        "UNIX_STREAM"})
    void handlerExceptionGoesToHandleErrorAndServingGoesOn(Kind kind) throws Exception {
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch reported = new java.util.concurrent.CountDownLatch(1);
        BaseServer server = recording(kind, Handlers.Failing.class, errors, reported);
        Thread serving = kind.serve(server);
        try {
            assertEquals("ok\n", Clients.streamRoundTrip(server.serverAddress(), "ok\nboom\n"));
            assertTrue(reported.await(60, TimeUnit.SECONDS));
            assertEquals(1, errors.size());
            assertTrue(errors.getFirst() instanceof IllegalStateException, errors.toString());
            Clients.assertEcho(kind, server.serverAddress(), dir);
            assertEquals("again\n", Clients.streamRoundTrip(server.serverAddress(), "again\n"));
        } finally {
            server.shutdown();
            server.close();
            serving.join();
        }
        Leaks.assertNothingLeft(dir);
    }

    /** A server of {@code kind} whose handleError records the error (Python: a subclass overriding handle_error). */
    private BaseServer recording(Kind kind, Class<? extends BaseRequestHandler<StreamSocket>> handler, List<Throwable> errors,
            java.util.concurrent.CountDownLatch reported) {
        SocketAddress a = kind.unix() ? UnixDomainSocketAddress.of(dir.resolve("server.sock"))
                : new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);
        interface Hook {
            default void record(Throwable error, List<Throwable> errors, java.util.concurrent.CountDownLatch reported) {
                errors.add(error);
                reported.countDown();
            }
        }
        Hook hook = new Hook() {};
        return switch (kind) {
            case TCP -> new TCPServer(a, handler) {
                @Override
                public void handleError(Object request, SocketAddress client, Throwable error) {
                    hook.record(error, errors, reported);
                }
            };
            case THREADING_TCP -> new ThreadingTCPServer(a, handler) {
                @Override
                public void handleError(Object request, SocketAddress client, Throwable error) {
                    hook.record(error, errors, reported);
                }
            };
            case VIRTUAL_THREADING_TCP -> new VirtualThreadingTCPServer(a, handler) {
                @Override
                public void handleError(Object request, SocketAddress client, Throwable error) {
                    hook.record(error, errors, reported);
                }
            };
            case GREENLET_TCP -> new GreenletTCPServer(a, handler) {
                @Override
                public void handleError(Object request, SocketAddress client, Throwable error) {
                    hook.record(error, errors, reported);
                }
            };
            case UNIX_STREAM -> new UnixStreamServer(a, handler) {
                @Override
                public void handleError(Object request, SocketAddress client, Throwable error) {
                    hook.record(error, errors, reported);
                }
            };
            default -> throw new IllegalArgumentException(kind.name());
        };
    }

    /** shutdown() on the serving thread (from a synchronous server's handler) throws instead of deadlocking. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"TCP", "GREENLET_TCP"})
    void shutdownFromTheServingThreadThrows(Kind kind) throws Exception {
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch reported = new java.util.concurrent.CountDownLatch(1);
        BaseServer server = recording(kind, ShutdownFromHandler.class, errors, reported);
        Thread serving = kind.serve(server);
        try {
            Clients.streamRoundTrip(server.serverAddress(), "x\n");
            assertTrue(reported.await(60, TimeUnit.SECONDS));
            assertTrue(errors.getFirst() instanceof IllegalStateException, errors.toString());
        } finally {
            server.shutdown();
            server.close();
            serving.join();
        }
        Leaks.assertNothingLeft(dir);
    }

    public static class ShutdownFromHandler extends StreamRequestHandler {
        @Override
        protected void handle() {
            server.shutdown();
        }
    }

    /** A forking server serves each connection in a process whose pid differs from the server's, one per request. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"FORKING_TCP", "FORKING_UDP", "FORKING_UNIX_STREAM", "FORKING_UNIX_DATAGRAM"})
    void forkingServesInAnotherProcess(Kind kind) throws Exception {
        BaseServer server = kind.make(dir, new Kind.Handlers(Handlers.Pid.class, Handlers.DatagramPid.class));
        Thread serving = kind.serve(server);
        List<Long> pids = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                pids.add(Long.parseLong(Clients.roundTrip(kind, server.serverAddress(), "pid?\n", dir).trim()));
            }
        } finally {
            server.shutdown();
            server.close();
            serving.join();
        }
        long me = ProcessHandle.current().pid();
        for (long pid : pids) {
            assertNotEquals(me, pid);
        }
        assertEquals(3, pids.stream().distinct().count(), "one child per request: " + pids);
        Leaks.assertNothingLeft(dir);
    }

    /** A handler class that cannot be built by the server is refused at construction. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"TCP"})
    void handlerClassNeedsANoArgConstructor(Kind kind) {
        assertThrows(IllegalArgumentException.class, () -> new TCPServer(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), NoNoArg.class));
        Path p = dir.resolve("x");
        assertThrows(IllegalArgumentException.class,
                () -> new UnixStreamServer(new java.net.InetSocketAddress(0), Handlers.LineEcho.class));
        assertFalse(Files.exists(p));
    }

    public static class NoNoArg extends StreamRequestHandler {
        public NoNoArg(int x) {}
    }
}
