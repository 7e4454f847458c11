package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * A {@link TCPServer} that serves each connection on a new virtual thread: {@code ThreadingTCPServer}
 * for many connections that mostly wait (tens of thousands cost little memory and no OS thread
 * each). Virtual threads are always daemons ({@link #setDaemonThreads} is ignored); with
 * {@link #setBlockOnClose blockOnClose} (the default) {@link #serverClose()} waits for them.
 *
 * <p>Made for bursts of connections, unlike Python's classes: its listen backlog defaults to the
 * kernel's {@code somaxconn} (as Netty's does) rather than Python's 5 ({@link #setRequestQueueSize}
 * is obeyed), and its loop accepts every waiting connection, up to {@value #ACCEPT_BATCH}, per wake-up.
 */
public class VirtualThreadingTCPServer extends TCPServer {
    /** Connections accepted per wake-up of the serving loop, at most. */
    static final int ACCEPT_BATCH = 256;

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

    @Override
    boolean madeForLoad() {
        return true;
    }
}
