package io.github.pyconcurrent.socketserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.gevent.Hub;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** handle_request with a timeout, verify_request, bind_and_activate=False. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandleRequestTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** With no client, handleRequest waits the timeout and calls handleTimeout; with one, it serves it. */
    @Test
    void handleRequestHonoursTheTimeout() throws Exception {
        AtomicInteger timeouts = new AtomicInteger();
        try (TCPServer server = new TCPServer(ANY, Handlers.LineEcho.class) {
            @Override
            public void handleTimeout() {
                timeouts.incrementAndGet();
            }
        }) {
            server.setTimeout(Duration.ofMillis(20));
            server.handleRequest();
            assertEquals(1, timeouts.get());
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            Future<String> reply = pool.submit(() -> Clients.streamRoundTrip(server.serverAddress(), "one\n"));
            server.setTimeout(null);
            server.handleRequest();
            assertEquals("one\n", reply.get());
            assertEquals(1, timeouts.get());
            pool.shutdown();
        }
    }

    /** The greenlet server's handleRequest runs the calling thread's hub until the request is served. */
    @Test
    void greenletHandleRequest() throws Exception {
        AtomicInteger timeouts = new AtomicInteger();
        try (GreenletTCPServer server = new GreenletTCPServer(ANY, Handlers.LineEcho.class) {
            @Override
            public void handleTimeout() {
                timeouts.incrementAndGet();
            }
        }) {
            server.setTimeout(Duration.ofMillis(20));
            server.handleRequest();
            assertEquals(1, timeouts.get());
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            Future<String> reply = pool.submit(() -> Clients.streamRoundTrip(server.serverAddress(), "two\n"));
            server.setTimeout(null);
            server.handleRequest();
            assertEquals("two\n", reply.get());
            pool.shutdown();
        } finally {
            Hub.get().destroy();
        }
    }

    /** verifyRequest false: the connection is closed unserved, and the server goes on. */
    @Test
    void refusedRequestsAreClosed() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        try (TCPServer server = new ThreadingTCPServer(ANY, Handlers.LineEcho.class) {
            @Override
            public boolean verifyRequest(Object request, SocketAddress clientAddress) {
                return seen.incrementAndGet() % 2 == 0;
            }
        }) {
            Thread serving = new Thread(server::serveForever, "serve-verify");
            serving.start();
            try {
                assertEquals("", Clients.streamRoundTrip(server.serverAddress(), "refused\n"));
                assertEquals("served\n", Clients.streamRoundTrip(server.serverAddress(), "served\n"));
            } finally {
                server.shutdown();
                serving.join();
            }
        }
    }

    /** bindAndActivate false: options first, then serverBind/serverActivate; serverAddress then is the real port. */
    @Test
    void bindLater() throws Exception {
        try (TCPServer server = new TCPServer(ANY, Handlers.LineEcho.class, false)) {
            assertEquals(0, ((InetSocketAddress) server.serverAddress()).getPort());
            server.setAllowReuseAddress(true);
            server.setRequestQueueSize(16);
            server.serverBind();
            server.serverActivate();
            assertTrue(((InetSocketAddress) server.serverAddress()).getPort() > 0);
            Thread serving = new Thread(server::serveForever, "serve-bind-later");
            serving.start();
            try {
                assertEquals("x\n", Clients.streamRoundTrip(server.serverAddress(), "x\n"));
            } finally {
                server.shutdown();
                serving.join();
            }
        }
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("serve-")));
    }
}
