package io.github.pyconcurrent.socketserver;

import java.net.SocketAddress;

/**
 * The base of request handlers: Python's {@code socketserver.BaseRequestHandler}. The server
 * makes a new instance for each request (through the subclass's public no-arg constructor),
 * fills in {@link #request}, {@link #clientAddress} and {@link #server}, then calls
 * {@link #setup()}, {@link #handle()} and, even when those fail, {@link #finish()}. What escapes
 * them goes to the server's {@link BaseServer#handleError handleError}.
 *
 * <pre>{@code
 * public class Echo extends BaseRequestHandler<StreamSocket> {
 *     @Override
 *     protected void handle() {
 *         byte[] data;
 *         while ((data = request.recv(1024)).length > 0) {
 *             request.sendall(data);
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>{@code R} is {@link StreamSocket} for stream servers and {@link DatagramRequest} for datagram
 * servers. The class must be loadable by name and have a public no-arg constructor (a static
 * nested class is fine, an inner one is not): forking servers build it in the child JVM.
 *
 * @param <R> the type of {@link #request}
 */
public abstract class BaseRequestHandler<R> {
    /** The request: a connected {@link StreamSocket}, or a {@link DatagramRequest}. */
    protected R request;
    /** The client's address. */
    protected SocketAddress clientAddress;
    /** The server that called this handler (in a forking server's child: a stand-in, see {@link ForkingTCPServer}). */
    protected BaseServer server;

    /** For subclasses: the server calls their public no-arg constructor. */
    protected BaseRequestHandler() {}

    /**
     * Called before {@link #handle()}; does nothing by default.
     *
     * @throws Exception anything; {@link #handle()} and {@link #finish()} are then skipped, and
     *     the server's {@link BaseServer#handleError} gets the exception
     */
    protected void setup() throws Exception {}

    /**
     * Serves the request; does nothing by default.
     *
     * @throws Exception anything; {@link #finish()} still runs, and the server's
     *     {@link BaseServer#handleError} gets the exception
     */
    protected void handle() throws Exception {}

    /**
     * Called after {@link #handle()}, even when handle failed (not when setup did, as in Python);
     * does nothing by default.
     *
     * @throws Exception anything; the server's {@link BaseServer#handleError} gets the exception
     */
    protected void finish() throws Exception {}

    @SuppressWarnings("unchecked")
    final void serve(Object request, SocketAddress clientAddress, BaseServer server) throws Exception {
        this.request = (R) request;
        this.clientAddress = clientAddress;
        this.server = server;
        setup();
        try {
            handle();
        } finally {
            finish();
        }
    }
}
