package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * How a server runs each request once accepted: Python's mixins ({@code ThreadingMixIn},
 * {@code ForkingMixIn}) as composable strategies. A server calls
 * {@link #processRequest} from its loop, {@link #serviceActions} every loop round, and
 * {@link #serverClose} when it closes. Each server needs its own instance (it may track what it
 * started); the factories make a new one per call.
 *
 * <pre>{@code
 * // Python: class ThreadingHTTPServer(ThreadingMixIn, HTTPServer): ...
 * public class MyThreadingServer extends TCPServer {
 *     public MyThreadingServer(SocketAddress address) {
 *         super(address, MyHandler.class, true, Dispatch.threading());
 *     }
 * }
 * }</pre>
 */
public interface Dispatch {

    /**
     * Runs the request: it must end with {@link BaseServer#finishRequest} then
     * {@link BaseServer#shutdownRequest}, and report a failure of the former to
     * {@link BaseServer#handleError} (or throw it, when run synchronously, for the loop to do so).
     *
     * @param server the server the request came to
     * @param request the connected {@link StreamSocket} or the {@link DatagramRequest}
     * @param clientAddress the client's address
     * @throws Exception what serving the request threw, when it ran on the calling thread (the
     *     synchronous dispatch); the loop hands it to {@link BaseServer#handleError}
     */
    void processRequest(BaseServer server, Object request, SocketAddress clientAddress) throws Exception;

    /**
     * Called by {@link BaseServer#serverActivate()} once the server listens (the preforking
     * dispatch starts its workers there).
     *
     * @param server the server being activated
     */
    default void serverActivate(BaseServer server) {}

    /**
     * Called every round of the serving loop (the forking dispatch reaps finished children).
     *
     * @param server the serving server
     */
    default void serviceActions(BaseServer server) {}

    /**
     * Called by {@link BaseServer#serverClose()} after the socket is closed (waits for what runs,
     * if {@code blockOnClose}).
     *
     * @param server the server being closed
     */
    default void serverClose(BaseServer server) {}

    /**
     * Each request served to its end on the serving thread: Python's plain servers.
     *
     * @return a new synchronous dispatch
     */
    static Dispatch sync() {
        return (server, request, clientAddress) -> {
            server.finishRequest(request, clientAddress);
            server.shutdownRequest(request);
        };
    }

    /**
     * A new platform thread per request (daemon per {@code setDaemonThreads}): Python's
     * {@code ThreadingMixIn}.
     *
     * @return a new dispatch that starts a platform thread per request
     */
    static Dispatch threading() {
        return new ThreadDispatch(false);
    }

    /**
     * A new virtual thread per request: {@code ThreadingMixIn} for many mostly-idle connections.
     *
     * @return a new dispatch that starts a virtual thread per request
     */
    static Dispatch virtualThreads() {
        return new ThreadDispatch(true);
    }

    /**
     * Each request in a child JVM of its own, the connection handed over: Python's
     * {@code ForkingMixIn}.
     *
     * @return a new dispatch that serves each request in a child JVM
     */
    static Dispatch forking() {
        return new ForkDispatch();
    }

    /**
     * Each connection handed to one of {@code workers} warm worker JVMs, which serve many on
     * virtual threads of their own: the pre-fork model of gunicorn and Apache's prefork (no
     * Python twin). Stream servers only. See {@link PreforkingTCPServer}.
     *
     * @param workers how many worker JVMs to start when the server is activated, at least 1
     * @return a new preforking dispatch; its workers start with the server
     * @throws IllegalArgumentException if {@code workers} is less than 1
     */
    static Dispatch preforking(int workers) {
        return new PreforkDispatch(workers);
    }

    /**
     * Python's {@code process_request_thread}: serves the request to its end where it runs (a
     * thread, a greenlet), reporting a failure to {@code handleError}. A thread's or greenlet's
     * body is a {@link ServedRequest} itself instead (one frame fewer under a waiting handler).
     *
     * @param server the server the request came to
     * @param request the connected {@link StreamSocket} or the {@link DatagramRequest}
     * @param clientAddress the client's address
     */
    static void serveToEnd(BaseServer server, Object request, SocketAddress clientAddress) {
        new ServedRequest(server, request, clientAddress).run();
    }
}
