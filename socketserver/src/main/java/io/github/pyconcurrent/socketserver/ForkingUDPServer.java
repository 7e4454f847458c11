package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * A {@link UDPServer} that serves each datagram in a child JVM of its own: Python's
 * {@code socketserver.ForkingUDPServer}. The child gets the datagram and (by descriptor passing)
 * the server's socket to reply through; see {@link ForkingTCPServer}.
 */
public class ForkingUDPServer extends UDPServer {

    public ForkingUDPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, true);
    }

    public ForkingUDPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass,
            boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, bindAndActivate, Dispatch.forking());
    }

    /** For subclasses: this server with another {@link Dispatch}. */
    protected ForkingUDPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass,
            boolean bindAndActivate, Dispatch dispatch) {
        super(serverAddress, requestHandlerClass, bindAndActivate, dispatch);
    }
}
