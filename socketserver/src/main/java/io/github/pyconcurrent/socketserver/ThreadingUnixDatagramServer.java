package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * A {@link UnixDatagramServer} that serves each datagram on a new platform thread: Python's
 * {@code socketserver.ThreadingUnixDatagramServer}.
 */
public class ThreadingUnixDatagramServer extends UnixDatagramServer {

    public ThreadingUnixDatagramServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, true);
    }

    public ThreadingUnixDatagramServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass,
            boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, bindAndActivate, Dispatch.threading());
    }

    /** For subclasses: this server with another {@link Dispatch}. */
    protected ThreadingUnixDatagramServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass,
            boolean bindAndActivate, Dispatch dispatch) {
        super(serverAddress, requestHandlerClass, bindAndActivate, dispatch);
    }
}
