package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * A stream server on a Unix socket: Python's {@code socketserver.UnixStreamServer}. Its address is a
 * {@link java.net.UnixDomainSocketAddress}; unlike Python, {@link #serverClose()} removes the socket
 * file it bound, so a new server can bind the same path. A client's address is the unnamed
 * (empty) path unless the client bound its socket.
 */
public class UnixStreamServer extends TCPServer {

    public UnixStreamServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, true);
    }

    public UnixStreamServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, bindAndActivate, Dispatch.sync());
    }

    /** For subclasses: this server with another {@link Dispatch}. */
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
