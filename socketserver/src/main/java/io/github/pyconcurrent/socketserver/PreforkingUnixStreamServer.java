package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * A {@link UnixStreamServer} whose connections are served by warm worker JVMs, each serving many
 * on virtual threads of its own: {@link PreforkingTCPServer} on a Unix socket (see it for the
 * model, the workers' life and the close). Like {@link UnixStreamServer}, {@link #serverClose()}
 * removes the socket file.
 */
public non-sealed class PreforkingUnixStreamServer extends UnixStreamServer implements PreforkingServer {

    /**
     * A server on {@code serverAddress} with {@link PreforkingTCPServer#DEFAULT_WORKERS} workers,
     * listening.
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
    public PreforkingUnixStreamServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, PreforkingTCPServer.DEFAULT_WORKERS, true);
    }

    /**
     * A server with {@link PreforkingTCPServer#DEFAULT_WORKERS} worker JVMs, bound and listening
     * (and its workers started) only if {@code bindAndActivate}.
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
    public PreforkingUnixStreamServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, PreforkingTCPServer.DEFAULT_WORKERS, bindAndActivate);
    }

    /**
     * A server on {@code serverAddress} with {@code workers} worker JVMs, listening.
     *
     * @param serverAddress the socket file to bind to, as a
     *     {@link java.net.UnixDomainSocketAddress}; the file must not exist yet
     * @param requestHandlerClass the request handler, made anew for each request: a
     *     top-level or static nested class with a no-arg constructor
     * @param workers how many worker JVMs serve the connections, at least 1
     * @throws IllegalArgumentException if {@code serverAddress} is not a UnixDomainSocketAddress,
     *     or {@code requestHandlerClass} is abstract, an inner class, or has no no-arg constructor,
     *     or {@code workers} is less than 1
     * @throws java.io.UncheckedIOException if binding fails (e.g. the address is in use: Python's
     *     {@code OSError}); nothing is left open then
     */
    public PreforkingUnixStreamServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            int workers) {
        this(serverAddress, requestHandlerClass, workers, true);
    }

    /**
     * A server with {@code workers} worker JVMs, bound and listening (and its workers started) only
     * if {@code bindAndActivate}.
     *
     * @param serverAddress the socket file to bind to, as a
     *     {@link java.net.UnixDomainSocketAddress}; the file must not exist yet
     * @param requestHandlerClass the request handler, made anew for each request: a
     *     top-level or static nested class with a no-arg constructor
     * @param workers how many worker JVMs serve the connections, at least 1
     * @param bindAndActivate whether the constructor binds and activates the server (Python's
     *     {@code bind_and_activate}); with false, set options such as {@link #setAllowReuseAddress}
     *     first, then call {@link #serverBind()} and {@link #serverActivate()}
     * @throws IllegalArgumentException if {@code serverAddress} is not a UnixDomainSocketAddress,
     *     or {@code requestHandlerClass} is abstract, an inner class, or has no no-arg constructor,
     *     or {@code workers} is less than 1
     * @throws java.io.UncheckedIOException if {@code bindAndActivate} and binding fails (e.g. the
     *     address is in use: Python's {@code OSError}); nothing is left open then
     */
    public PreforkingUnixStreamServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            int workers, boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, bindAndActivate, Dispatch.preforking(workers));
    }

    /**
     * For subclasses: this server with another {@link Dispatch} (a preforking one:
     * {@link PreforkingServer}'s methods need it).
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
    protected PreforkingUnixStreamServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate, Dispatch dispatch) {
        super(serverAddress, requestHandlerClass, bindAndActivate, dispatch);
    }

    @Override
    boolean madeForLoad() {
        return true;
    }
}
