package io.github.pyconcurrent.socketserver;

import io.github.pyconcurrent.gevent.CooperativeSocket;
import io.github.pyconcurrent.gevent.Gevent;
import io.github.pyconcurrent.gevent.GreenletTask;
import io.github.pyconcurrent.gevent.Hub;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A {@link TCPServer} whose connections are served by greenlets on one thread: gevent's
 * {@code StreamServer} in socketserver's shape. {@link #serveForever()} runs the calling
 * thread's gevent {@link Hub}: a greenlet accepts, and each connection gets a greenlet of its own
 * whose {@code request} is a cooperative {@link StreamSocket} (a {@code recv} that would block
 * switches to the next ready greenlet). Thousands of connections cost one thread.
 *
 * <pre>{@code
 * var server = new GreenletTCPServer(new InetSocketAddress("127.0.0.1", 8009), Echo.class);
 * new Thread(() -> {
 *     server.serveForever();
 *     Hub.get().destroy();        // this thread is done with gevent
 * }).start();
 * ...
 * server.shutdown();              // from any thread: stops accepting at once
 * server.close();
 * }</pre>
 *
 * <p>Handlers must not block the thread: use the request's own methods (cooperative) and
 * {@code Gevent.sleep}, not JDK blocking I/O. After {@link #shutdown()} the accept loop stops at
 * once; {@code serveForever} then, with {@link #setBlockOnClose blockOnClose} (the default), runs
 * the hub until the handler greenlets have finished (otherwise it kills them) before it returns,
 * and {@link #serverClose()} waits for that. The hub stays the thread's: destroy it
 * ({@code Hub.get().destroy()}) when the thread is done with gevent. {@link #handleRequest()}
 * also runs on the calling thread's hub, until the request has been served.
 *
 * <p>Made for bursts of connections, unlike Python's classes: its listen backlog defaults to the
 * kernel's {@code somaxconn} (as Netty's does) rather than Python's 5 ({@link #setRequestQueueSize}
 * is obeyed), and its accept greenlet takes every waiting connection without a hub round in between,
 * yielding to the handlers once every {@value #ACCEPT_BATCH} accepts.
 */
public class GreenletTCPServer extends TCPServer {
    private static final System.Logger LOG = System.getLogger(GreenletTCPServer.class.getName());
    /** The accept greenlet yields to the handlers once every this many accepts. */
    static final int ACCEPT_BATCH = 256;
    private volatile Hub hub;
    private volatile GreenletTask<?> acceptor;
    private volatile CountDownLatch drained;

    /**
     * A server bound to {@code serverAddress}, listening, that serves each connection in a greenlet
     * of the serving thread's hub.
     *
     * @param serverAddress the address to bind to, e.g. an {@link java.net.InetSocketAddress} (port
     *     0: any free port, which {@link #serverAddress()} then shows)
     * @param requestHandlerClass the request handler, made anew for each request: a
     *     top-level or static nested class with a no-arg constructor
     * @throws IllegalArgumentException if {@code requestHandlerClass} is abstract, an inner class,
     *     or has no no-arg constructor
     * @throws java.io.UncheckedIOException if binding fails (e.g. the address is in use: Python's
     *     {@code OSError}); nothing is left open then
     */
    public GreenletTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, true);
    }

    /**
     * A server on {@code serverAddress}, bound and listening only if {@code bindAndActivate}; it
     * serves each connection in a greenlet of the serving thread's hub.
     *
     * @param serverAddress the address to bind to, e.g. an {@link java.net.InetSocketAddress} (port
     *     0: any free port, which {@link #serverAddress()} then shows)
     * @param requestHandlerClass the request handler, made anew for each request: a
     *     top-level or static nested class with a no-arg constructor
     * @param bindAndActivate whether the constructor binds and activates the server (Python's
     *     {@code bind_and_activate}); with false, set options such as {@link #setAllowReuseAddress}
     *     first, then call {@link #serverBind()} and {@link #serverActivate()}
     * @throws IllegalArgumentException if {@code requestHandlerClass} is abstract, an inner class,
     *     or has no no-arg constructor
     * @throws java.io.UncheckedIOException if {@code bindAndActivate} and binding fails (e.g. the
     *     address is in use: Python's {@code OSError}); nothing is left open then
     */
    public GreenletTCPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<StreamSocket>> requestHandlerClass,
            boolean bindAndActivate) {
        super(serverAddress, requestHandlerClass, bindAndActivate, new GreenletDispatch());
    }

    @Override
    public void serveForever(Duration pollInterval) {
        CountDownLatch done = new CountDownLatch(1);
        beginServing();
        drained = done;
        Hub h = Hub.get();
        CooperativeSocket listening = null;
        try {
            listening = CooperativeSocket.wrap(((Listener.Stream) listener).channel);
            CooperativeSocket accepting = listening;
            hub = h;
            GreenletTask<Void> task = Gevent.spawn(() -> acceptLoop(accepting, pollInterval));
            acceptor = task;
            if (shutdownRequested()) {
                task.kill();
            }
            task.join();
        } finally {
            acceptor = null;
            hub = null;
            if (listening != null) {
                listening.detach();
            }
            try {
                Gevent.sleep(); // one hub round: its selector lets go of the listening channel
                endServing();   // shutdown() returns: the loop has stopped
                ((GreenletDispatch) dispatch).finish(blockOnClose());
            } finally {
                done.countDown();
            }
        }
    }

    /** The kernel's {@code somaxconn}: a burst of connections queues in the kernel instead of retrying SYNs. */
    @Override
    protected int defaultRequestQueueSize() {
        return Listener.SOMAXCONN;
    }

    private void acceptLoop(CooperativeSocket listening, Duration pollInterval) {
        listening.settimeout(pollInterval);
        int inARow = 0;
        while (!shutdownRequested()) {
            if (++inARow > ACCEPT_BATCH) {
                inARow = 0;
                Gevent.sleep(); // the accepted connections' greenlets run before the next batch
            }
            CooperativeSocket conn;
            try {
                conn = listening.accept();
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof SocketTimeoutException) {
                    serviceActions();
                    continue;
                }
                if (isClosed()) {
                    return;
                }
                // A connection that failed while being accepted (reset in the backlog), or a
                // descriptor limit: the loop goes on either way, but the reason is not lost.
                LOG.log(System.Logger.Level.DEBUG, "accept failed; the server goes on", e);
                continue;
            }
            serveAccepted(conn);
            serviceActions();
        }
    }

    private void serveAccepted(CooperativeSocket conn) {
        SocketAddress client;
        try {
            client = conn.getpeername();
        } catch (RuntimeException e) {
            conn.close(); // reset before we looked
            return;
        }
        serveIncoming(new CooperativeStreamSocket(conn), client);
    }

    /** Serves one request on the calling thread's hub, waiting at most {@link #timeout()} for it. */
    @Override
    public void handleRequest() {
        if (isClosed()) {
            throw new IllegalStateException("the server is closed");
        }
        Duration t = timeout();
        CooperativeSocket listening = CooperativeSocket.wrap(((Listener.Stream) listener).channel);
        try {
            GreenletTask<Void> once = Gevent.spawn(() -> {
                listening.settimeout(t);
                CooperativeSocket conn;
                try {
                    conn = listening.accept();
                } catch (UncheckedIOException e) {
                    if (e.getCause() instanceof SocketTimeoutException) {
                        handleTimeout();
                        return;
                    }
                    // as serve_forever's loop: one failed accept ends this request, said why
                    LOG.log(System.Logger.Level.DEBUG, "accept failed; handleRequest() serves nothing", e);
                    return;
                }
                serveAccepted(conn);
                ((GreenletDispatch) dispatch).finish(true);
            });
            once.get();
        } finally {
            listening.detach();
            Gevent.sleep();
        }
    }

    @Override
    void wakeLoop() {
        Hub h = hub;
        if (h == null) {
            return;
        }
        try {
            h.runCallbackThreadsafe(() -> {
                GreenletTask<?> a = acceptor;
                if (a != null && !a.ready()) {
                    a.kill();
                }
            });
        } catch (IllegalStateException e) {
            // the hub is gone: the loop has ended already
        }
    }

    @Override
    boolean needsReadiness() {
        return false;
    }

    @Override
    void closeSocket() {
        super.closeSocket();
        CountDownLatch d = drained;
        if (d != null && blockOnClose()) {
            try {
                d.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedInterruptedException(e);
            }
        }
    }

    /**
     * A greenlet per request, on the serving thread's hub; its state is confined to that thread.
     * Each request is one {@link Served}: the task's callable and its link in the list of running
     * requests at once, so an idle connection holds no lambda, set entry or task array, and its
     * suspended stack no frames of them.
     */
    static final class GreenletDispatch implements Dispatch {
        /** Running requests, oldest first; linked through the requests themselves. */
        private Served first;
        private Served last;

        @Override
        public void processRequest(BaseServer server, Object request, SocketAddress clientAddress) {
            Served served = new Served(this, server, request, clientAddress);
            served.prev = last;
            if (last == null) {
                first = served;
            } else {
                last.next = served;
            }
            last = served;
            served.task = Gevent.spawn(served);
        }

        private void remove(Served s) {
            if (s.prev == null) {
                first = s.next;
            } else {
                s.prev.next = s.next;
            }
            if (s.next == null) {
                last = s.prev;
            } else {
                s.next.prev = s.prev;
            }
            s.prev = null;
            s.next = null;
        }

        /** Waits for the request greenlets (or kills them); on the hub's thread. */
        void finish(boolean wait) {
            while (first != null) {
                List<GreenletTask<?>> tasks = new ArrayList<>();
                for (Served s = first; s != null; s = s.next) {
                    tasks.add(s.task);
                }
                if (wait) {
                    Gevent.joinall(tasks);
                } else {
                    Gevent.killall(tasks);
                }
                // a killed task that never started never ran its callable: unlink it here
                for (Served s = first; s != null; ) {
                    Served n = s.next;
                    if (s.task.ready()) {
                        remove(s);
                    }
                    s = n;
                }
            }
        }

        /** One request's greenlet body, and its link in the running list. */
        private static final class Served extends ServedRequest {
            private final GreenletDispatch dispatch;
            private GreenletTask<Void> task;
            private Served prev;
            private Served next;

            Served(GreenletDispatch dispatch, BaseServer server, Object request, SocketAddress clientAddress) {
                super(server, request, clientAddress);
                this.dispatch = dispatch;
            }

            @Override
            void done() {
                if (task != null && (prev != null || dispatch.first == this)) {
                    dispatch.remove(this);
                }
            }
        }
    }
}
