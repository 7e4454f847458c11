package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;
import java.util.List;

/**
 * A {@link UnixStreamServer} whose connections are served by warm worker JVMs, each serving many
 * on virtual threads of its own: {@link PreforkingTCPServer} on a Unix socket (see it for the
 * model, the workers' life and the close). Like {@link UnixStreamServer}, {@link #serverClose()}
 * removes the socket file.
 */
public class PreforkingUnixStreamServer extends UnixStreamServer {

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

    /** For subclasses: this server with another {@link Dispatch} (a preforking one, for the methods below). */
    protected PreforkingUnixStreamServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate, Dispatch dispatch) {
        super(serverAddress, requestHandlerClass, bindAndActivate, dispatch);
    }

    /** {@link PreforkingTCPServer#setMaxRequestsPerChild}: 0 (the default) never recycles a worker. */
    public void setMaxRequestsPerChild(int n) {
        PreforkDispatch.of(this).setMaxRequestsPerChild(n);
    }

    public int maxRequestsPerChild() {
        return PreforkDispatch.of(this).maxRequestsPerChild();
    }

    /**
     * The pids of the worker JVMs taking connections: once the server is activated, {@code workers}
     * of them as soon as they are ready (a worker still starting, retiring or dead is not listed).
     */
    public List<Long> workerPids() {
        return PreforkDispatch.of(this).workerPids();
    }

    /**
     * Waits until all the workers take connections (they start with the server, and a dead or
     * retired one's replacement starts at once), at most {@code timeout}; false if they did not
     * by then or the server closed. Not needed before serving: connections accepted meanwhile
     * wait for the first ready worker.
     */
    public boolean awaitWorkers(java.time.Duration timeout) throws InterruptedException {
        return PreforkDispatch.of(this).awaitWorkers(timeout);
    }

    @Override
    protected int defaultRequestQueueSize() {
        return Listener.SOMAXCONN;
    }

    @Override
    int acceptBatch() {
        return VirtualThreadingTCPServer.ACCEPT_BATCH;
    }
}
