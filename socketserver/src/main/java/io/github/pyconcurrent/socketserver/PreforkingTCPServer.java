package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * A {@link TCPServer} whose connections are served by {@code workers} warm worker JVMs, each
 * serving many on virtual threads of its own: the pre-fork model of gunicorn and Apache's
 * prefork. No Python class is its twin (Python's {@code ForkingTCPServer} forks per request; a JVM
 * takes far longer to start than a fork, so the workers start once, with the server).
 *
 * <pre>{@code
 * try (var server = new PreforkingTCPServer(new InetSocketAddress("127.0.0.1", 8009), MyHandler.class, 4)) {
 *     server.setMaxRequestsPerChild(10_000);   // gunicorn's max_requests; 0 (default): never recycle
 *     server.serveForever();
 * }
 * }</pre>
 *
 * <p>The workers start when the server is activated (the constructor, by default). The handler is
 * built in a worker from its class, as under {@link ForkingTCPServer}: the class must be loadable
 * from this JVM's class path and have a public no-arg constructor, and its {@code server} is a
 * stand-in that knows the server's address; overrides of this server's hooks do not run there.
 * What a handler keeps in static fields is per worker. A worker that dies (SIGKILL,
 * {@code System.exit}, an {@code OutOfMemoryError}) loses only its own connections and is
 * replaced; {@link #workerPids()} shows which run. See {@link Dispatch#preforking(int)} for the
 * hand-over ({@code SCM_RIGHTS} over a Unix socket only this user can reach).
 *
 * <p>Made for load, like {@link VirtualThreadingTCPServer}: its listen backlog defaults to the
 * kernel's {@code somaxconn} ({@link #setRequestQueueSize} is obeyed) and its loop accepts every
 * waiting connection per wake-up. {@link #setMaxChildren} is ignored (the workers are fixed);
 * {@link #setBlockOnClose blockOnClose} (the default) makes {@link #serverClose()} wait until each
 * worker has served its connections and exited, and without it the workers are killed. Either
 * way no worker JVM is left when it returns.
 */
public non-sealed class PreforkingTCPServer extends TCPServer implements PreforkingServer {
    /** Worker JVMs when the constructor is not told: one per CPU. */
    public static final int DEFAULT_WORKERS = Runtime.getRuntime().availableProcessors();

    /**
     * A server on {@code serverAddress} with {@link #DEFAULT_WORKERS} workers, listening.
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
    public PreforkingTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, DEFAULT_WORKERS, true);
    }

    /**
     * A server with {@link PreforkingTCPServer#DEFAULT_WORKERS} worker JVMs, bound and listening
     * (and its workers started) only if {@code bindAndActivate}.
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
    public PreforkingTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, DEFAULT_WORKERS, bindAndActivate);
    }

    /**
     * A server on {@code serverAddress} with {@code workers} worker JVMs, listening.
     *
     * @param serverAddress the address to bind to, e.g. an {@link java.net.InetSocketAddress} (port
     *     0: any free port, which {@link #serverAddress()} then shows)
     * @param requestHandlerClass the request handler, made anew for each request: a
     *     top-level or static nested class with a no-arg constructor
     * @param workers how many worker JVMs serve the connections, at least 1
     * @throws IllegalArgumentException if {@code workers} is less than 1, or
     *     {@code requestHandlerClass} is abstract, an inner class, or has no no-arg constructor
     * @throws java.io.UncheckedIOException if binding fails (e.g. the address is in use: Python's
     *     {@code OSError}); nothing is left open then
     */
    public PreforkingTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            int workers) {
        this(serverAddress, requestHandlerClass, workers, true);
    }

    /**
     * A server with {@code workers} worker JVMs, bound and listening (and its workers started) only
     * if {@code bindAndActivate}.
     *
     * @param serverAddress the address to bind to, e.g. an {@link java.net.InetSocketAddress} (port
     *     0: any free port, which {@link #serverAddress()} then shows)
     * @param requestHandlerClass the request handler, made anew for each request: a
     *     top-level or static nested class with a no-arg constructor
     * @param workers how many worker JVMs serve the connections, at least 1
     * @param bindAndActivate whether the constructor binds and activates the server (Python's
     *     {@code bind_and_activate}); with false, set options such as {@link #setAllowReuseAddress}
     *     first, then call {@link #serverBind()} and {@link #serverActivate()}
     * @throws IllegalArgumentException if {@code workers} is less than 1, or
     *     {@code requestHandlerClass} is abstract, an inner class, or has no no-arg constructor
     * @throws java.io.UncheckedIOException if {@code bindAndActivate} and binding fails (e.g. the
     *     address is in use: Python's {@code OSError}); nothing is left open then
     */
    public PreforkingTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            int workers, boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, bindAndActivate, Dispatch.preforking(workers));
    }

    /**
     * For subclasses: this server with another {@link Dispatch} (a preforking one:
     * {@link PreforkingServer}'s methods need it).
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
    protected PreforkingTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate, Dispatch dispatch) {
        super(serverAddress, requestHandlerClass, bindAndActivate, dispatch);
    }

    @Override
    boolean madeForLoad() {
        return true;
    }
}
