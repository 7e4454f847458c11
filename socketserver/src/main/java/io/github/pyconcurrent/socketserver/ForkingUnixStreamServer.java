package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * A {@link UnixStreamServer} that serves each connection in a child JVM of its own: Python's
 * {@code socketserver.ForkingUnixStreamServer}; see {@link ForkingTCPServer}.
 */
public class ForkingUnixStreamServer extends UnixStreamServer {

    public ForkingUnixStreamServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, true);
    }

    public ForkingUnixStreamServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, bindAndActivate, Dispatch.forking());
    }

    /** For subclasses: this server with another {@link Dispatch}. */
    protected ForkingUnixStreamServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate, Dispatch dispatch) {
        super(serverAddress, requestHandlerClass, bindAndActivate, dispatch);
    }
}
