package io.github.pyconcurrent.socketserver;

import io.github.pyconcurrent.internal.Timeouts;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.SocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.time.Duration;
import java.util.Objects;

/**
 * The base of all servers: Python's {@code socketserver.BaseServer}, its serving loop and hooks.
 * Use one of its subclasses ({@link TCPServer}, {@link UDPServer}, their Unix and
 * Threading/Forking/Virtual/Greenlet forms).
 *
 * <p>Its methods come in three groups, as in Python:
 * <ul>
 * <li><b>For the caller:</b> {@link #serveForever()}, {@link #serveForever(Duration)},
 *     {@link #shutdown()}, {@link #handleRequest()}, {@link #serverClose()} / {@link #close()},
 *     {@link #serverAddress()}, and the setters of the class attributes
 *     ({@link #setTimeout}, {@link #setAllowReuseAddress}, {@link #setRequestQueueSize},
 *     {@link #setDaemonThreads}, {@link #setBlockOnClose}, {@link #setMaxChildren}).</li>
 * <li><b>May be overridden:</b> {@link #serverBind()}, {@link #serverActivate()},
 *     {@link #verifyRequest}, {@link #processRequest}, {@link #finishRequest},
 *     {@link #shutdownRequest}, {@link #closeRequest}, {@link #handleError},
 *     {@link #handleTimeout()}, {@link #serviceActions()}.</li>
 * <li><b>For subclasses:</b> the constructors that take a {@link Dispatch} (Python's mixins),
 *     and {@link #getRequest()}.</li>
 * </ul>
 *
 * <p>A request goes: {@code getRequest} (accept or receive) → {@code verifyRequest} →
 * {@code processRequest} (the dispatch: here, a thread, a child JVM, a greenlet) →
 * {@code finishRequest} (makes the handler, which runs setup/handle/finish) →
 * {@code shutdownRequest}. An exception from processing goes to {@code handleError}, which prints
 * it and the client's address to stderr; the server serves on.
 *
 * <p>Differences from Python: {@link #shutdown()} called on the serving thread (from a handler of
 * a synchronous server) throws {@link IllegalStateException} instead of deadlocking (CPython
 * gh-88932); it returns at once when the server is closed; it wakes the loop rather than waiting
 * out the poll interval. {@code handleError} receives the exception (Java has no
 * {@code sys.exc_info()}).
 */
public abstract class BaseServer implements AutoCloseable {
    /** Python's default {@code poll_interval}. */
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

    private final Class<? extends BaseRequestHandler<?>> requestHandlerClass;
    private final Constructor<? extends BaseRequestHandler<?>> handlerConstructor;
    final Dispatch dispatch;

    private volatile Duration timeout;
    private volatile boolean allowReuseAddress;
    /** Negative: not set, {@link #defaultRequestQueueSize()} holds. */
    private volatile int requestQueueSize = -1;
    private volatile boolean daemonThreads;
    private volatile boolean blockOnClose = true;
    private volatile int maxChildren = 40;

    /** Guards the serving state below. */
    private final Object state = new Object();
    private volatile boolean shutdownRequest;
    private boolean isShutDown;
    private Thread servingThread;
    private volatile boolean closed;
    private Readiness readiness;

    BaseServer(Class<? extends BaseRequestHandler<?>> requestHandlerClass, Dispatch dispatch) {
        this.requestHandlerClass = Objects.requireNonNull(requestHandlerClass, "requestHandlerClass");
        this.handlerConstructor = constructorOf(requestHandlerClass);
        this.dispatch = Objects.requireNonNull(dispatch, "dispatch");
    }

    private static Constructor<? extends BaseRequestHandler<?>> constructorOf(Class<? extends BaseRequestHandler<?>> c) {
        if (Modifier.isAbstract(c.getModifiers())) {
            throw new IllegalArgumentException("the request handler class is abstract: " + c.getName());
        }
        if (c.getEnclosingClass() != null && !Modifier.isStatic(c.getModifiers())) {
            throw new IllegalArgumentException("the request handler class must be a top-level or static nested class"
                    + " with a no-arg constructor (an inner class needs its outer instance): " + c.getName());
        }
        try {
            Constructor<? extends BaseRequestHandler<?>> k = c.getDeclaredConstructor();
            k.setAccessible(true);
            return k;
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("the request handler class needs a public no-arg constructor: " + c.getName(), e);
        }
    }

    // ------------------------------------------------------------------ for the caller

    /** Serves until {@link #shutdown()}, checking for it every half second (Python's default {@code poll_interval}). */
    public void serveForever() {
        serveForever(DEFAULT_POLL_INTERVAL);
    }

    /**
     * Handles requests until {@link #shutdown()}; {@link #serviceActions()} runs at least every
     * {@code pollInterval}. A shutdown wakes the loop at once.
     *
     * @param pollInterval the longest time between two calls of {@link #serviceActions()} while
     *     idle (Python's {@code poll_interval})
     * @throws IllegalStateException the server is closed, or already serving on another thread
     * @throws NullPointerException if {@code pollInterval} is null
     */
    public void serveForever(Duration pollInterval) {
        long pollNanos = Timeouts.boundedNanos(Objects.requireNonNull(pollInterval, "pollInterval"));
        Readiness r = beginServing();
        try {
            while (!shutdownRequest) {
                boolean ready = r.await(pollNanos);
                if (shutdownRequest) {
                    break;
                }
                if (ready) {
                    int batch = acceptBatch();
                    for (int i = 0; i < batch && handleRequestNoblock() && !shutdownRequest; i++) {
                        // the next waiting connection, without a select in between
                    }
                }
                serviceActions();
            }
        } catch (ClosedSelectorException e) {
            // serverClose() while serving: the loop ends
        } finally {
            endServing();
        }
    }

    /**
     * Stops the {@link #serveForever} loop and waits until it has stopped; returns at once when
     * the server is closed. Call it from another thread than the serving one.
     *
     * @throws IllegalStateException called on the thread running {@code serveForever} (which would
     *         wait for itself: CPython deadlocks there)
     */
    public void shutdown() {
        Readiness r;
        synchronized (state) {
            if (servingThread == Thread.currentThread()) {
                throw new IllegalStateException("shutdown() called on the thread running serveForever() (from a handler of"
                        + " a synchronous server?): it would wait for itself; call it from another thread");
            }
            shutdownRequest = true;
            r = readiness;
        }
        if (r != null) {
            r.wakeup();
        }
        wakeLoop();
        synchronized (state) {
            while (!isShutDown && !closed) {
                try {
                    state.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedInterruptedException(e);
                }
            }
        }
    }

    /**
     * Handles one request: waits for it at most {@link #setTimeout timeout} (none: forever), then
     * serves it, or calls {@link #handleTimeout()} if none came.
     */
    public void handleRequest() {
        Readiness r = readiness();
        Duration t = timeout;
        long deadline = t == null ? 0 : System.nanoTime() + Timeouts.boundedNanos(t);
        while (true) {
            long left = t == null ? -1 : Math.max(0, deadline - System.nanoTime());
            if (r.await(left)) {
                handleRequestNoblock();
                return;
            }
            if (t != null && deadline - System.nanoTime() <= 0) {
                handleTimeout();
                return;
            }
        }
    }

    /**
     * Closes the server socket and, with {@link #setBlockOnClose blockOnClose} (the default),
     * waits for the threads or children still serving requests; idempotent. Python's
     * {@code server_close}.
     */
    public void serverClose() {
        Readiness r;
        synchronized (state) {
            closed = true;
            r = readiness;
            readiness = null;
            state.notifyAll();
        }
        if (r != null) {
            r.wakeup();
            try {
                r.close();
            } catch (IOException e) {
                // closing: nothing to do
            }
        }
        closeSocket();
        dispatch.serverClose(this);
    }

    /** {@link #serverClose()}, for try-with-resources (Python's {@code with server:}). */
    @Override
    public final void close() {
        serverClose();
    }

    /**
     * The address the server is bound to (with port 0 resolved to the real port).
     *
     * @return the bound address (an {@link java.net.InetSocketAddress} with its real port, or the
     *     socket file's address); before binding, the address asked for
     */
    public abstract SocketAddress serverAddress();

    /**
     * Whether {@link #serverClose()} was called.
     *
     * @return true once {@link #serverClose()} (or {@link #close()}) has been called
     */
    public boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------ may be overridden

    /** Binds the socket (Python's {@code server_bind}); the constructor calls it unless told not to. */
    public void serverBind() {}

    /**
     * Starts listening (Python's {@code server_activate}); the constructor calls it unless told not
     * to. Here: tells the {@link Dispatch} (the preforking one starts its workers); an override
     * should call {@code super.serverActivate()}.
     */
    public void serverActivate() {
        dispatch.serverActivate(this);
    }

    /**
     * Whether to serve this request; true by default (Python's {@code verify_request}).
     *
     * @param request the connected {@link StreamSocket} or the {@link DatagramRequest}
     * @param clientAddress the client's address
     * @return true to serve the request, false to drop it (it is then shut down unserved)
     */
    public boolean verifyRequest(Object request, SocketAddress clientAddress) {
        return true;
    }

    /**
     * Hands the request to the {@link Dispatch} (Python's {@code process_request}, which the
     * mixins override): synchronously, a thread, a child JVM or a greenlet.
     *
     * @param request the connected {@link StreamSocket} or the {@link DatagramRequest}
     * @param clientAddress the client's address
     * @throws Exception what serving the request threw, when the dispatch serves it on the calling
     *     thread; the loop hands it to {@link #handleError}
     */
    public void processRequest(Object request, SocketAddress clientAddress) throws Exception {
        dispatch.processRequest(this, request, clientAddress);
    }

    /**
     * Makes the request handler, which serves the request (Python's {@code finish_request}).
     *
     * @param request the connected {@link StreamSocket} or the {@link DatagramRequest}
     * @param clientAddress the client's address
     * @throws Exception what the handler's constructor, {@code setup}, {@code handle} or
     *     {@code finish} threw
     */
    public void finishRequest(Object request, SocketAddress clientAddress) throws Exception {
        BaseRequestHandler<?> handler;
        try {
            handler = handlerConstructor.newInstance();
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        handler.serve(request, clientAddress, this);
    }

    /**
     * Ends the request: closes what {@link #closeRequest} closes (stream servers first shut the
     * sending side).
     *
     * @param request the connected {@link StreamSocket} or the {@link DatagramRequest} that was
     *     served
     */
    public void shutdownRequest(Object request) {
        closeRequest(request);
    }

    /**
     * Releases the request's resources; does nothing here.
     *
     * @param request the connected {@link StreamSocket} or the {@link DatagramRequest} that was
     *     served
     */
    public void closeRequest(Object request) {}

    /**
     * Called when processing a request failed; prints the client address and the stack trace
     * to stderr, and the server serves on (Python's {@code handle_error}).
     *
     * @param request the request whose processing failed
     * @param clientAddress the client's address
     * @param error what processing the request threw (Python reads it from {@code sys.exc_info()})
     */
    public void handleError(Object request, SocketAddress clientAddress, Throwable error) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        out.println("-".repeat(40));
        out.println("Exception occurred during processing of request from " + clientAddress);
        error.printStackTrace(out);
        out.println("-".repeat(40));
        out.flush();
        System.err.print(text);
        System.err.flush();
    }

    /** Called when {@link #handleRequest()} timed out; does nothing by default. */
    public void handleTimeout() {}

    /** Called by the {@link #serveForever} loop every round (the forking forms reap children here). */
    public void serviceActions() {
        dispatch.serviceActions(this);
    }

    // ------------------------------------------------------------------ class attributes

    /**
     * Python's {@code timeout}: how long {@link #handleRequest()} waits; null (default): forever.
     *
     * @param timeout how long {@link #handleRequest()} waits for a request before it calls
     *     {@link #handleTimeout()}; null waits forever
     */
    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Python's {@code timeout}, as set by {@link #setTimeout}.
     *
     * @return how long {@link #handleRequest()} waits for a request; null (the default) for forever
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Python's {@code allow_reuse_address} (SO_REUSEADDR), read by {@link #serverBind()}; false by
     * default.
     *
     * @param allowReuseAddress whether {@link #serverBind()} sets SO_REUSEADDR; set it before
     *     binding
     */
    public void setAllowReuseAddress(boolean allowReuseAddress) {
        this.allowReuseAddress = allowReuseAddress;
    }

    /**
     * Python's {@code allow_reuse_address}, as set by {@link #setAllowReuseAddress}.
     *
     * @return whether {@link #serverBind()} sets SO_REUSEADDR; false by default
     */
    public boolean allowReuseAddress() {
        return allowReuseAddress;
    }

    /**
     * Python's {@code request_queue_size}: the listen backlog, read by {@link #serverBind()}. Until
     * set, {@link #defaultRequestQueueSize()}: Python's 5 for the classes named after Python's, the
     * kernel's {@code somaxconn} for {@link VirtualThreadingTCPServer} and {@link GreenletTCPServer}.
     * The kernel caps it at {@code somaxconn} whatever is asked.
     *
     * @param requestQueueSize the listen backlog to ask for, 0 or more; set it before binding
     * @throws IllegalArgumentException if {@code requestQueueSize} is negative
     */
    public void setRequestQueueSize(int requestQueueSize) {
        if (requestQueueSize < 0) {
            throw new IllegalArgumentException("requestQueueSize < 0");
        }
        this.requestQueueSize = requestQueueSize;
    }

    /**
     * Python's {@code request_queue_size}: the listen backlog {@link #serverBind()} asks for.
     *
     * @return the value set by {@link #setRequestQueueSize}, or {@link #defaultRequestQueueSize()}
     *     until it is set
     */
    public int requestQueueSize() {
        int n = requestQueueSize;
        return n >= 0 ? n : defaultRequestQueueSize();
    }

    /**
     * The backlog when {@link #setRequestQueueSize} was not called: Python's 5 here (a burst of
     * connections beyond it waits out the clients' SYN retries, as with CPython). Read during the
     * constructor (which binds), so an override must return a constant.
     *
     * @return the listen backlog to ask for when none was set: 5 here, {@code somaxconn} for the
     *     forms made for load
     */
    protected int defaultRequestQueueSize() {
        return madeForLoad() ? Listener.SOMAXCONN : 5;
    }

    /**
     * How many connections one wake-up of {@link #serveForever} may accept before the loop
     * waits again: 1, as Python's loop does; the forms {@link #madeForLoad made for load} take a batch.
     */
    final int acceptBatch() {
        return madeForLoad() ? VirtualThreadingTCPServer.ACCEPT_BATCH : 1;
    }

    /**
     * Whether this form is made for load, unlike Python's ({@link VirtualThreadingTCPServer}, the
     * preforking servers): its backlog defaults to the kernel's {@code somaxconn} (a burst of
     * connections queues in the kernel instead of retrying SYNs) and its loop accepts a batch of
     * waiting connections per wake-up. Python's forms: false.
     */
    boolean madeForLoad() {
        return false;
    }

    /**
     * Python's {@code daemon_threads}: whether handler threads are daemons (threading forms); false
     * by default.
     *
     * @param daemonThreads whether handler threads started from now on are daemons (they then do
     *     not keep the JVM alive)
     */
    public void setDaemonThreads(boolean daemonThreads) {
        this.daemonThreads = daemonThreads;
    }

    /**
     * Python's {@code daemon_threads}, as set by {@link #setDaemonThreads}.
     *
     * @return whether handler threads are daemons; false by default
     */
    public boolean daemonThreads() {
        return daemonThreads;
    }

    /**
     * Python's {@code block_on_close}: whether {@link #serverClose()} waits for running requests;
     * true by default.
     *
     * @param blockOnClose whether {@link #serverClose()} waits for the requests still being served
     *     (false: it leaves them, or kills the worker JVMs of a preforking server)
     */
    public void setBlockOnClose(boolean blockOnClose) {
        this.blockOnClose = blockOnClose;
    }

    /**
     * Python's {@code block_on_close}, as set by {@link #setBlockOnClose}.
     *
     * @return whether {@link #serverClose()} waits for running requests; true by default
     */
    public boolean blockOnClose() {
        return blockOnClose;
    }

    /**
     * Python's {@code max_children}: at most this many child JVMs serve at once (forking forms); 40
     * by default.
     *
     * @param maxChildren the most child JVMs serving at once, at least 1; a request beyond it waits
     *     for one to finish
     * @throws IllegalArgumentException if {@code maxChildren} is less than 1
     */
    public void setMaxChildren(int maxChildren) {
        if (maxChildren < 1) {
            throw new IllegalArgumentException("maxChildren < 1");
        }
        this.maxChildren = maxChildren;
    }

    /**
     * Python's {@code max_children}, as set by {@link #setMaxChildren}.
     *
     * @return the most child JVMs a forking server runs at once; 40 by default
     */
    public int maxChildren() {
        return maxChildren;
    }

    /**
     * Python's {@code RequestHandlerClass}.
     *
     * @return the handler class given to the constructor
     */
    public Class<? extends BaseRequestHandler<?>> requestHandlerClass() {
        return requestHandlerClass;
    }

    // ------------------------------------------------------------------ for subclasses

    /**
     * A request and its client's address, as {@link #getRequest()} returns them (Python's tuple).
     *
     * @param request the connected {@link StreamSocket} or the {@link DatagramRequest}
     * @param clientAddress the client's address
     */
    public record Incoming(Object request, SocketAddress clientAddress) {}

    /**
     * Takes the next request off the socket (Python's {@code get_request}); null when there was
     * none after all.
     *
     * @return the request and its client's address, or null when nothing was waiting after all
     * @throws IOException if accepting or receiving failed; the loop then skips this round
     */
    protected abstract Incoming getRequest() throws IOException;

    /**
     * Python's {@code _handle_request_noblock}: one request, whose failure goes to
     * {@link #handleError}; false when there was none to take.
     */
    final boolean handleRequestNoblock() {
        Incoming in;
        try {
            in = getRequest();
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
        if (in == null) {
            return false;
        }
        serveIncoming(in.request(), in.clientAddress());
        return true;
    }

    final void serveIncoming(Object request, SocketAddress clientAddress) {
        boolean verified;
        try {
            verified = verifyRequest(request, clientAddress);
        } catch (Exception | AssertionError e) {
            handleError(request, clientAddress, e);
            shutdownRequest(request);
            return;
        }
        if (!verified) {
            shutdownRequest(request);
            return;
        }
        try {
            processRequest(request, clientAddress);
        } catch (Exception | AssertionError e) {
            handleError(request, clientAddress, e);
            shutdownRequest(request);
        } catch (Throwable t) {
            shutdownRequest(request);
            throw t;
        }
    }

    /** Opens the wait of the serving loop on this server's socket. */
    abstract Readiness newReadiness() throws IOException;

    /** Closes the server's socket (and removes a Unix socket's file). */
    abstract void closeSocket();

    /** For forms whose loop is not the selector's: wakes it for {@link #shutdown()}. */
    void wakeLoop() {}

    boolean shutdownRequested() {
        return shutdownRequest;
    }

    final Readiness readiness() {
        synchronized (state) {
            if (closed) {
                throw new IllegalStateException("the server is closed");
            }
            if (readiness == null) {
                try {
                    readiness = newReadiness();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return readiness;
        }
    }

    /** Marks the current thread as the serving one; returns the readiness to wait on. */
    final Readiness beginServing() {
        Readiness r = needsReadiness() ? readiness() : null;
        synchronized (state) {
            if (closed) {
                throw new IllegalStateException("the server is closed");
            }
            if (servingThread != null) {
                throw new IllegalStateException("already serving on " + servingThread);
            }
            servingThread = Thread.currentThread();
            isShutDown = false;
        }
        return r;
    }

    boolean needsReadiness() {
        return true;
    }

    /** Python's {@code finally} of serve_forever: clear the request, announce the loop has stopped. */
    final void endServing() {
        synchronized (state) {
            shutdownRequest = false;
            servingThread = null;
            isShutDown = true;
            state.notifyAll();
        }
    }
}
