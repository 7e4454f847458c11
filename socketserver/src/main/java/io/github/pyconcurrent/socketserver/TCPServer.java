package io.github.pyconcurrent.socketserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A stream server: Python's {@code socketserver.TCPServer}. Serves each connection to its end
 * before taking the next; the Threading, Virtual, Forking and Greenlet forms serve them at once.
 *
 * <pre>{@code
 * try (var server = new TCPServer(new InetSocketAddress("127.0.0.1", 8009), MyHandler.class)) {
 *     server.serveForever();
 * }
 * }</pre>
 *
 * <p>The constructor binds and listens unless {@code bindAndActivate} is false; then set the
 * options ({@link #setAllowReuseAddress}, {@link #setRequestQueueSize}) and call
 * {@link #serverBind()} and {@link #serverActivate()} yourself. The JDK binds and listens in one
 * call, so {@code serverBind()} does both and {@code serverActivate()} has nothing left to do.
 * A {@link java.net.UnixDomainSocketAddress} makes it a Unix stream server (see
 * {@link UnixStreamServer}).
 */
public class TCPServer extends BaseServer {
    private final SocketAddress requestedAddress;
    final Listener listener;
    private volatile SocketAddress boundAddress;

    /**
     * A server bound to {@code serverAddress} (port 0: any free port), listening.
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
    public TCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, true);
    }

    /**
     * A server on {@code serverAddress}; bound and listening only if {@code bindAndActivate}.
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
    public TCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, bindAndActivate, Dispatch.sync());
    }

    /**
     * For the forms: a stream server whose requests go to {@code dispatch}.
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
    protected TCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate, Dispatch dispatch) {
        this(serverAddress, requestHandlerClass, bindAndActivate, dispatch, false);
    }

    TCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<?>> requestHandlerClass,
            boolean bindAndActivate, Dispatch dispatch, boolean datagram) {
        super(requestHandlerClass, dispatch);
        this.requestedAddress = Objects.requireNonNull(serverAddress, "serverAddress");
        this.listener = Listener.open(serverAddress, datagram);
        if (bindAndActivate) {
            try {
                serverBind();
                serverActivate();
            } catch (RuntimeException | Error e) {
                serverClose();
                throw e;
            }
        }
    }

    /** Binds to the address given (and, for a stream socket, listens with {@link #requestQueueSize()}). */
    @Override
    public void serverBind() {
        try {
            listener.bind(requestedAddress, requestQueueSize(), allowReuseAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind to " + requestedAddress + ": " + e.getMessage(), e);
        }
        boundAddress = listener.localAddress();
    }

    /** The bound address; before {@link #serverBind()}, the address asked for. */
    @Override
    public SocketAddress serverAddress() {
        SocketAddress a = boundAddress;
        return a != null ? a : requestedAddress;
    }

    @Override
    protected Incoming getRequest() throws IOException {
        SocketChannel c = ((Listener.Stream) listener).accept();
        if (c == null) {
            return null;
        }
        try {
            return new Incoming(new ChannelStreamSocket(c), c.getRemoteAddress());
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Shuts the sending side (the client reads end of stream), then closes the connection. */
    @Override
    public void shutdownRequest(Object request) {
        try {
            ((StreamSocket) request).shutdownOutput();
        } catch (RuntimeException e) {
            // the client may have gone already
        }
        closeRequest(request);
    }

    @Override
    public void closeRequest(Object request) {
        try {
            ((StreamSocket) request).close();
        } catch (RuntimeException e) {
            // already failing
        }
    }

    @Override
    Readiness newReadiness() throws IOException {
        return listener.newReadiness();
    }

    @Override
    void closeSocket() {
        listener.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + serverAddress() + "]";
    }
}
