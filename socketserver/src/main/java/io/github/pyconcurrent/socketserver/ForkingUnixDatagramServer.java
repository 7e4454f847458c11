package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * A {@link UnixDatagramServer} that serves each datagram in a child JVM of its own: Python's
 * {@code socketserver.ForkingUnixDatagramServer}; see {@link ForkingTCPServer}.
 */
public class ForkingUnixDatagramServer extends UnixDatagramServer {

    public ForkingUnixDatagramServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, true);
    }

    public ForkingUnixDatagramServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass,
            boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, bindAndActivate, Dispatch.forking());
    }

    /** For subclasses: this server with another {@link Dispatch}. */
    protected ForkingUnixDatagramServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass,
            boolean bindAndActivate, Dispatch dispatch) {
        super(serverAddress, requestHandlerClass, bindAndActivate, dispatch);
    }
}
