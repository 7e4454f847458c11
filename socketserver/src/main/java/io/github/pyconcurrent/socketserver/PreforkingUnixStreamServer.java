package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * A {@link UnixStreamServer} whose connections are served by warm worker JVMs, each serving many
 * on virtual threads of its own: {@link PreforkingTCPServer} on a Unix socket (see it for the
 * model, the workers' life and the close). Like {@link UnixStreamServer}, {@link #serverClose()}
 * removes the socket file.
 */
public non-sealed class PreforkingUnixStreamServer extends UnixStreamServer implements PreforkingServer {

    /** A server on {@code serverAddress} with {@link PreforkingTCPServer#DEFAULT_WORKERS} workers, listening. */
    public PreforkingUnixStreamServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, PreforkingTCPServer.DEFAULT_WORKERS, true);
    }

    public PreforkingUnixStreamServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, PreforkingTCPServer.DEFAULT_WORKERS, bindAndActivate);
    }

    /** A server on {@code serverAddress} with {@code workers} worker JVMs, listening. */
    public PreforkingUnixStreamServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            int workers) {
        this(serverAddress, requestHandlerClass, workers, true);
    }

    /** A server with {@code workers} worker JVMs, bound and listening (and its workers started) only if {@code bindAndActivate}. */
    public PreforkingUnixStreamServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            int workers, boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, bindAndActivate, Dispatch.preforking(workers));
    }

    /** For subclasses: this server with another {@link Dispatch} (a preforking one: {@link PreforkingServer}'s methods need it). */
    protected PreforkingUnixStreamServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate, Dispatch dispatch) {
        super(serverAddress, requestHandlerClass, bindAndActivate, dispatch);
    }

    @Override
    boolean madeForLoad() {
        return true;
    }
}
