package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * A {@link TCPServer} that serves each connection on a new virtual thread: {@code ThreadingTCPServer}
 * for many connections that mostly wait (tens of thousands cost little memory and no OS thread
 * each). Virtual threads are always daemons ({@link #setDaemonThreads} is ignored); with
 * {@link #setBlockOnClose blockOnClose} (the default) {@link #serverClose()} waits for them.
 */
public class VirtualThreadingTCPServer extends TCPServer {

    public VirtualThreadingTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, true);
    }

    public VirtualThreadingTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, bindAndActivate, Dispatch.virtualThreads());
    }

    /** For subclasses: this server with another {@link Dispatch}. */
    protected VirtualThreadingTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate, Dispatch dispatch) {
        super(serverAddress, requestHandlerClass, bindAndActivate, dispatch);
    }
}
