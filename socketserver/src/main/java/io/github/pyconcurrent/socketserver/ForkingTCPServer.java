package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * A {@link TCPServer} that serves each connection in a child JVM of its own: Python's
 * {@code socketserver.ForkingTCPServer}. See {@link Dispatch#forking()} for how: the
 * connection's descriptor is handed to a (warm, by default) child JVM, which builds the handler
 * from its class and serves; {@link #setMaxChildren maxChildren} (40) bound the children at once,
 * finished ones are reaped every loop round, and with {@link #setBlockOnClose blockOnClose}
 * {@link #serverClose()} waits for them.
 *
 * <p>In the child, the handler's {@code server} is a stand-in that knows the server's address and
 * handler class; overrides of this server's hooks (e.g. {@code handleError}) do not run there
 * (a failure is printed to the child's stderr, which is this JVM's).
 */
public class ForkingTCPServer extends TCPServer {

    public ForkingTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, true);
    }

    public ForkingTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, bindAndActivate, Dispatch.forking());
    }

    /** For subclasses: this server with another {@link Dispatch}. */
    protected ForkingTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate, Dispatch dispatch) {
        super(serverAddress, requestHandlerClass, bindAndActivate, dispatch);
    }
}
