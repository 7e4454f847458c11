package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * A {@link TCPServer} that serves each connection in a child JVM of its own: Python's
 * {@code socketserver.ForkingTCPServer}. See {@link Dispatch#forking()} for how: the
 * connection's descriptor is handed to a (warm, by default) child JVM, which builds the handler
 * from its class and serves; {@link #setMaxChildren maxChildren} (40) bound the children at once,
 * finished ones are reaped every loop round, and with {@link #setBlockOnClose blockOnClose}
 * {@link #serverClose()} waits for them.
 *
 * <p>In the child, the handler's {@code server} is a stand-in that knows the server's address and
 * handler class; overrides of this server's hooks (e.g. {@code handleError}) do not run there
 * (a failure is printed to the child's stderr, which is this JVM's).
 */
public class ForkingTCPServer extends TCPServer {

    /**
     * A server bound to {@code serverAddress}, listening, that serves each connection in a child
     * JVM of its own.
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
    public ForkingTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, true);
    }

    /**
     * A server on {@code serverAddress}, bound and listening only if {@code bindAndActivate}; it
     * serves each connection in a child JVM of its own.
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
    public ForkingTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, bindAndActivate, Dispatch.forking());
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
    protected ForkingTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate, Dispatch dispatch) {
        super(serverAddress, requestHandlerClass, bindAndActivate, dispatch);
    }
}
