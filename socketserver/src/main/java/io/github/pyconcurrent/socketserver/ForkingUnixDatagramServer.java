package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * A {@link UnixDatagramServer} that serves each datagram in a child JVM of its own: Python's
 * {@code socketserver.ForkingUnixDatagramServer}; see {@link ForkingTCPServer}.
 */
public class ForkingUnixDatagramServer extends UnixDatagramServer {

    /**
     * A server bound to {@code serverAddress}, receiving, that serves each datagram in a child JVM
     * of its own.
     *
     * @param serverAddress the socket file to bind to, as a
     *     {@link java.net.UnixDomainSocketAddress}; the file must not exist yet
     * @param requestHandlerClass the request handler, made anew for each request: a
     *     top-level or static nested class with a no-arg constructor
     * @throws IllegalArgumentException if {@code serverAddress} is not a UnixDomainSocketAddress,
     *     or {@code requestHandlerClass} is abstract, an inner class, or has no no-arg constructor
     * @throws java.io.UncheckedIOException if binding fails (e.g. the address is in use: Python's
     *     {@code OSError}); nothing is left open then
     */
    public ForkingUnixDatagramServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, true);
    }

    /**
     * A server on {@code serverAddress}, bound and receiving only if {@code bindAndActivate}; it
     * serves each datagram in a child JVM of its own.
     *
     * @param serverAddress the socket file to bind to, as a
     *     {@link java.net.UnixDomainSocketAddress}; the file must not exist yet
     * @param requestHandlerClass the request handler, made anew for each request: a
     *     top-level or static nested class with a no-arg constructor
     * @param bindAndActivate whether the constructor binds and activates the server (Python's
     *     {@code bind_and_activate}); with false, set options such as {@link #setAllowReuseAddress}
     *     first, then call {@link #serverBind()} and {@link #serverActivate()}
     * @throws IllegalArgumentException if {@code serverAddress} is not a UnixDomainSocketAddress,
     *     or {@code requestHandlerClass} is abstract, an inner class, or has no no-arg constructor
     * @throws java.io.UncheckedIOException if {@code bindAndActivate} and binding fails (e.g. the
     *     address is in use: Python's {@code OSError}); nothing is left open then
     */
    public ForkingUnixDatagramServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass,
            boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, bindAndActivate, Dispatch.forking());
    }

    /**
     * For subclasses: this server with another {@link Dispatch}.
     *
     * @param serverAddress the socket file to bind to, as a
     *     {@link java.net.UnixDomainSocketAddress}; the file must not exist yet
     * @param requestHandlerClass the request handler, made anew for each request: a
     *     top-level or static nested class with a no-arg constructor
     * @param bindAndActivate whether the constructor binds and activates the server (Python's
     *     {@code bind_and_activate}); with false, set options such as {@link #setAllowReuseAddress}
     *     first, then call {@link #serverBind()} and {@link #serverActivate()}
     * @param dispatch how each request is served: on the serving thread, a thread, a child JVM, a
     *     worker JVM or a greenlet (a new instance per server)
     * @throws IllegalArgumentException if {@code serverAddress} is not a UnixDomainSocketAddress,
     *     or {@code requestHandlerClass} is abstract, an inner class, or has no no-arg constructor
     * @throws java.io.UncheckedIOException if {@code bindAndActivate} and binding fails (e.g. the
     *     address is in use: Python's {@code OSError}); nothing is left open then
     */
    protected ForkingUnixDatagramServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass,
            boolean bindAndActivate, Dispatch dispatch) {
        super(serverAddress, requestHandlerClass, bindAndActivate, dispatch);
    }
}
