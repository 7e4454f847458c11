package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * A stream server on a Unix socket: Python's {@code socketserver.UnixStreamServer}. Its address is a
 * {@link java.net.UnixDomainSocketAddress}; unlike Python, {@link #serverClose()} removes the socket
 * file it bound, so a new server can bind the same path. A client's address is the unnamed
 * (empty) path unless the client bound its socket.
 */
public class UnixStreamServer extends TCPServer {

    /**
     * A server bound to {@code serverAddress}, listening.
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
    public UnixStreamServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, true);
    }

    /**
     * A server on {@code serverAddress}, bound and listening only if {@code bindAndActivate}.
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
    public UnixStreamServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, bindAndActivate, Dispatch.sync());
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
    protected UnixStreamServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate, Dispatch dispatch) {
        super(unix(serverAddress), requestHandlerClass, bindAndActivate, dispatch);
    }

    private static SocketAddress unix(SocketAddress address) {
        if (!(address instanceof java.net.UnixDomainSocketAddress)) {
            throw new IllegalArgumentException("a Unix server needs a UnixDomainSocketAddress, not " + address);
        }
        return address;
    }
}
