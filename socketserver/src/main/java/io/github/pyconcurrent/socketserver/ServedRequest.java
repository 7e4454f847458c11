package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * One request served to its end where it runs (a thread, a greenlet, a child JVM): Python's
 * {@code process_request_thread}, reporting a failure of {@code finishRequest} to
 * {@code handleError} and always ending with {@code shutdownRequest}, then {@link #done()}.
 *
 * <p>Why a class and not a helper its thread's body calls: a handler waiting for its client's next
 * line keeps every frame under it, and an idle connection's virtual thread or greenlet is all
 * frames; this {@link #run()} is that body itself, so the handler's frames sit one call above it.
 */
class ServedRequest implements Runnable {
    final BaseServer server;
    final Object request;
    final SocketAddress clientAddress;

    /**
     * A request to serve.
     *
     * @param server        the server whose {@code finishRequest} serves it
     * @param request       what {@code getRequest} returned
     * @param clientAddress the client's address
     */
    ServedRequest(BaseServer server, Object request, SocketAddress clientAddress) {
        this.server = server;
        this.request = request;
        this.clientAddress = clientAddress;
    }

    /** Serves the request to its end: {@code finishRequest}, {@code handleError} on failure, {@code shutdownRequest}, {@link #done()}. */
    @Override
    public final void run() {
        try {
            server.finishRequest(request, clientAddress);
        } catch (Exception | AssertionError e) {
            server.handleError(request, clientAddress, e);
        } finally {
            try {
                server.shutdownRequest(request);
            } finally {
                done();
            }
        }
    }

    /** Called last, even when {@code shutdownRequest} failed: a dispatch forgets the request here. Does nothing by default. */
    void done() {}
}
