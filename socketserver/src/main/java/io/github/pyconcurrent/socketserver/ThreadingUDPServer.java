package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * A {@link UDPServer} that serves each datagram on a new platform thread: Python's
 * {@code socketserver.ThreadingUDPServer}.
 */
public class ThreadingUDPServer extends UDPServer {

    public ThreadingUDPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, true);
    }

    public ThreadingUDPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass,
            boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, bindAndActivate, Dispatch.threading());
    }

    /** For subclasses: this server with another {@link Dispatch}. */
    protected ThreadingUDPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass,
            boolean bindAndActivate, Dispatch dispatch) {
        super(serverAddress, requestHandlerClass, bindAndActivate, dispatch);
    }
}
