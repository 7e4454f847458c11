package io.github.pyconcurrent.socketserver;

import java.time.Duration;
import java.util.List;

/**
 * What the preforking servers ({@link PreforkingTCPServer}, {@link PreforkingUnixStreamServer})
 * add to their base server: the workers' recycling and who they are. No Python counterpart (see
 * {@link PreforkingTCPServer} for the model). Sealed: the methods speak to the server's
 * {@link Dispatch#preforking(int) preforking dispatch}, which only those two classes (and their
 * subclasses) have.
 */
public sealed interface PreforkingServer permits PreforkingTCPServer, PreforkingUnixStreamServer {

    /**
     * A worker that has been handed {@code n} connections is retired: it takes no more, serves
     * those to their end and exits, and a new worker takes its place (gunicorn's
     * {@code max_requests}, Apache's {@code MaxConnectionsPerChild}): a bound on what a handler
     * leaks. 0 (the default): never.
     *
     * @param n connections per worker before it is retired; 0 for never
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IllegalStateException if a subclass gave this server another {@link Dispatch}
     */
    default void setMaxRequestsPerChild(int n) {
        dispatch().setMaxRequestsPerChild(n);
    }

    /**
     * The connections after which a worker is retired.
     *
     * @return what {@link #setMaxRequestsPerChild} set; 0 (never) until then
     */
    default int maxRequestsPerChild() {
        return dispatch().maxRequestsPerChild();
    }

    /**
     * The pids of the worker JVMs taking connections: once the server is activated, {@code workers}
     * of them as soon as they are ready (a worker still starting, retiring or dead is not listed).
     *
     * @return the ready workers' pids, a snapshot
     */
    default List<Long> workerPids() {
        return dispatch().workerPids();
    }

    /**
     * Waits until all the workers take connections (they start with the server, and a dead or
     * retired one's replacement starts at once), at most {@code timeout}. Not needed before
     * serving: connections accepted meanwhile wait for the first ready worker.
     *
     * @param timeout how long to wait at most
     * @return true once every worker is ready; false if they were not by {@code timeout} or the server closed
     * @throws InterruptedException if interrupted while waiting
     */
    default boolean awaitWorkers(Duration timeout) throws InterruptedException {
        return dispatch().awaitWorkers(timeout);
    }

    private PreforkDispatch dispatch() {
        // The permitted classes are servers: the cast cannot fail.
        return PreforkDispatch.of((BaseServer) this);
    }
}
