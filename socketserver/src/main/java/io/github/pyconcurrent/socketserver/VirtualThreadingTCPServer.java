package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * A {@link TCPServer} that serves each connection on a new virtual thread: {@code ThreadingTCPServer}
 * for many connections that mostly wait (tens of thousands cost little memory and no OS thread
 * each). Virtual threads are always daemons ({@link #setDaemonThreads} is ignored); with
 * {@link #setBlockOnClose blockOnClose} (the default) {@link #serverClose()} waits for them.
 *
 * <p>Made for bursts of connections, unlike Python's classes: its listen backlog defaults to the
 * kernel's {@code somaxconn} (as Netty's does) rather than Python's 5 ({@link #setRequestQueueSize}
 * is obeyed), and its loop accepts every waiting connection, up to {@value #ACCEPT_BATCH}, per wake-up.
 */
public class VirtualThreadingTCPServer extends TCPServer {
    /** Connections accepted per wake-up of the serving loop, at most. */
    static final int ACCEPT_BATCH = 256;

    /**
     * A server bound to {@code serverAddress}, listening, that serves each connection on a new
     * virtual thread.
     *
     * @param serverAddress the address to bind to, e.g. an {@link java.net.InetSocketAddress} (port
     *     0: any free port, which {@link #serverAddress()} then shows)
     * @param requestHandlerClass the request handler, made anew for each request: a
     *     top-level or static nested class with a no-arg constructor
     * @throws IllegalArgumentException if {@code requestHandlerClass} is abstract, an inner class,
     *     or has no no-arg constructor
     * @throws java.io.UncheckedIOException if binding fails (e.g. the address is in use: Python's
     *     {@code OSError}); nothing is left open then
     */
    public VirtualThreadingTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, true);
    }

    /**
     * A server on {@code serverAddress}, bound and listening only if {@code bindAndActivate}; it
     * serves each connection on a new virtual thread.
     *
     * @param serverAddress the address to bind to, e.g. an {@link java.net.InetSocketAddress} (port
     *     0: any free port, which {@link #serverAddress()} then shows)
     * @param requestHandlerClass the request handler, made anew for each request: a
     *     top-level or static nested class with a no-arg constructor
     * @param bindAndActivate whether the constructor binds and activates the server (Python's
     *     {@code bind_and_activate}); with false, set options such as {@link #setAllowReuseAddress}
     *     first, then call {@link #serverBind()} and {@link #serverActivate()}
     * @throws IllegalArgumentException if {@code requestHandlerClass} is abstract, an inner class,
     *     or has no no-arg constructor
     * @throws java.io.UncheckedIOException if {@code bindAndActivate} and binding fails (e.g. the
     *     address is in use: Python's {@code OSError}); nothing is left open then
     */
    public VirtualThreadingTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, bindAndActivate, Dispatch.virtualThreads());
    }

    /**
     * For subclasses: this server with another {@link Dispatch}.
     *
     * @param serverAddress the address to bind to, e.g. an {@link java.net.InetSocketAddress} (port
     *     0: any free port, which {@link #serverAddress()} then shows)
     * @param requestHandlerClass the request handler, made anew for each request: a
     *     top-level or static nested class with a no-arg constructor
     * @param bindAndActivate whether the constructor binds and activates the server (Python's
     *     {@code bind_and_activate}); with false, set options such as {@link #setAllowReuseAddress}
     *     first, then call {@link #serverBind()} and {@link #serverActivate()}
     * @param dispatch how each request is served: on the serving thread, a thread, a child JVM, a
     *     worker JVM or a greenlet (a new instance per server)
     * @throws IllegalArgumentException if {@code requestHandlerClass} is abstract, an inner class,
     *     or has no no-arg constructor
     * @throws java.io.UncheckedIOException if {@code bindAndActivate} and binding fails (e.g. the
     *     address is in use: Python's {@code OSError}); nothing is left open then
     */
    protected VirtualThreadingTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate, Dispatch dispatch) {
        super(serverAddress, requestHandlerClass, bindAndActivate, dispatch);
    }

    @Override
    boolean madeForLoad() {
        return true;
    }
}
