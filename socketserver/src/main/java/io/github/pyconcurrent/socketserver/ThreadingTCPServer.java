package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * A {@link TCPServer} that serves each connection on a new platform thread: Python's
 * {@code socketserver.ThreadingTCPServer} ({@code ThreadingMixIn, TCPServer}). Threads are
 * non-daemon unless {@link #setDaemonThreads}; with {@link #setBlockOnClose blockOnClose} (the
 * default) {@link #serverClose()} waits for them. Finished threads are not kept.
 */
public class ThreadingTCPServer extends TCPServer {

    public ThreadingTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, true);
    }

    public ThreadingTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, bindAndActivate, Dispatch.threading());
    }

    /** For subclasses: this server with another {@link Dispatch}. */
    protected ThreadingTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate, Dispatch dispatch) {
        super(serverAddress, requestHandlerClass, bindAndActivate, dispatch);
    }
}
