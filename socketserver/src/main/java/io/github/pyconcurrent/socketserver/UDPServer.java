package io.github.pyconcurrent.socketserver;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * A datagram server: Python's {@code socketserver.UDPServer}. Each datagram received (up to 8192
 * bytes, Python's {@code max_packet_size}) is a request: a {@link DatagramRequest} with the data
 * and the server's socket to reply through. A {@link java.net.UnixDomainSocketAddress} makes it
 * a Unix datagram server (see {@link UnixDatagramServer}).
 */
public class UDPServer extends TCPServer {

    /**
     * A server bound to {@code serverAddress}, receiving.
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
    public UDPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, true);
    }

    /**
     * A server on {@code serverAddress}, bound and receiving only if {@code bindAndActivate}.
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
    public UDPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass,
            boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, bindAndActivate, Dispatch.sync());
    }

    /**
     * For the forms: a datagram server whose requests go to {@code dispatch}.
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
    protected UDPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass,
            boolean bindAndActivate, Dispatch dispatch) {
        super(serverAddress, requestHandlerClass, bindAndActivate, dispatch, true);
    }

    @Override
    protected Incoming getRequest() throws IOException {
        return listener instanceof Listener.Datagram d ? d.receive() : ((Listener.UnixDatagram) listener).receive();
    }

    /** Nothing to shut: the socket is the server's. */
    @Override
    public void shutdownRequest(Object request) {
        closeRequest(request);
    }

    /** Nothing to close: the socket is the server's. */
    @Override
    public void closeRequest(Object request) {}
}
