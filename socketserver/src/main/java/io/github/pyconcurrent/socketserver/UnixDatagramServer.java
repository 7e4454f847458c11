package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * A datagram server on a Unix socket: Python's {@code socketserver.UnixDatagramServer}. The JDK has
 * no Unix datagram channel: this socket is libc's, through JNA (64-bit Linux). A client that
 * wants a reply binds its own socket to a path. Unlike Python, {@link #serverClose()} removes the
 * socket file it bound.
 */
public class UnixDatagramServer extends UDPServer {

    public UnixDatagramServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, true);
    }

    public UnixDatagramServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass,
            boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, bindAndActivate, Dispatch.sync());
    }

    /** For subclasses: this server with another {@link Dispatch}. */
    protected UnixDatagramServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass,
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
