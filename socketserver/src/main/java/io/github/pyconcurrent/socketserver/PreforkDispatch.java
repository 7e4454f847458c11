package io.github.pyconcurrent.socketserver;

import io.github.pyconcurrent.internal.Timeouts;
import io.github.pyconcurrent.multiprocessing.Process;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The pre-fork model of gunicorn and Apache's prefork on the JVM: {@code n} warm worker JVMs
 * (primitives-process {@link Process}es, warm spares by default) each serve many connections on
 * virtual threads of their own, and the serving loop hands every accepted connection to one of
 * them. A handler's crash, leak or {@code System.exit} takes down one worker and only its
 * connections, and costs no JVM start per connection (unlike {@link ForkDispatch}).
 *
 * <h2>The hand-over</h2>
 * The server owns a Unix socket in a fresh directory of mode 0700 ({@link HandoffSocket}). Each
 * worker's target ({@link PreforkWorker}) carries that path and a random token; it arrives over
 * primitives-process's authenticated control connection, so only the worker started for it knows
 * the token. The worker loads the handler class, connects, and sends the token: from then on the
 * connection is that worker's control channel, and the worker is ready. The serving loop sends
 * each accepted connection's descriptor down the channel of the next ready worker (round robin)
 * in an {@code SCM_RIGHTS} message ({@code sendmsg} with {@code MSG_DONTWAIT}: a worker whose
 * channel is full is passed over, never waited for), with the client's address in plain bytes
 * (nothing is deserialized), and closes its own copy. While no worker is ready (all starting or
 * being replaced) accepted connections wait in a queue, and the dispatcher thread
 * ({@code socketserver-prefork-dispatch}) hands them over when one is.
 *
 * <h2>Workers come and go</h2>
 * A worker that dies (SIGKILL, {@code System.exit}, an {@code OutOfMemoryError} that ends its
 * JVM) closes its end of its channel: the dispatcher sees the end of stream, takes it out of the
 * rotation, logs it (WARNING, with its exit code), and starts a replacement. Only the connections
 * it held are lost (their clients see end of stream or a reset), including any the kernel held in
 * its channel. With {@link #setMaxRequestsPerChild} (gunicorn's {@code max_requests}), a worker
 * that has been handed that many connections is retired: the server closes its end of the
 * worker's channel, the worker serves the connections it has to their end and exits, and a
 * replacement starts at once. A worker that dies before it is ready, or is not ready within
 * {@value ForkDispatch#HANDOFF_TIMEOUT_SECONDS} s, is replaced too; after
 * {@value #MAX_BOOT_FAILURES} such failures in a row the server stops trying, logs an ERROR
 * (the usual cause: the handler class cannot be loaded in a child JVM), and fails the queued and
 * new connections through {@code handleError}.
 *
 * <h2>Closing</h2>
 * {@code serverClose()} with {@code blockOnClose} (the default) hands over what is queued, retires
 * every worker and waits until each has served its connections and exited; without it, the queued
 * connections are closed and the workers killed. Either way no worker JVM, hand-over socket or
 * directory is left when it returns. Workers are daemon processes: they die with this JVM.
 */
final class PreforkDispatch implements Dispatch {
    private static final System.Logger LOG = System.getLogger(PreforkDispatch.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long a worker may take to come for its channel before it is replaced. */
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(ForkDispatch.HANDOFF_TIMEOUT_SECONDS);
    /** Workers in a row that die or time out before they are ready, before the server gives up. */
    static final int MAX_BOOT_FAILURES = 3;
    /** How often the dispatcher looks again while connections wait or workers are leaving. */
    private static final long BUSY_POLL_MILLIS = 20;
    private static final long IDLE_POLL_MILLIS = 250;

    /** One worker JVM; its fields other than the final ones are guarded by the dispatch. */
    private static final class Worker {
        final Process process;
        final long token;
        final long deadline;
        SocketChannel control;
        int controlFd = -1;
        int handed;
        boolean retiring;

        Worker(Process process, long token) {
            this.process = process;
            this.token = token;
            this.deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        }

        @Override
        public String toString() {
            return "worker JVM " + process.pid();
        }
    }

    /** A connection accepted while no worker was ready. */
    private record Queued(ChannelStreamSocket request, SocketAddress clientAddress) {}

    private final int workers;
    private volatile int maxRequestsPerChild;

    // Guarded by this.
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private final Map<Long, Worker> starting = new HashMap<>();
    /** Workers taking connections, in rotation. */
    private final List<Worker> ready = new ArrayList<>();
    /** Retired or dead workers whose process has not been reaped yet. */
    private final List<Worker> leaving = new ArrayList<>();
    private int next;
    private int bootFailures;
    private boolean closing;
    private BaseServer server;
    private ProtocolFamily family;
    private HandoffSocket handoff;
    private Thread dispatcher;

    PreforkDispatch(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers < 1: a preforking server needs at least one worker JVM");
        }
        this.workers = workers;
    }

    int workers() {
        return workers;
    }

    /** The preforking dispatch of {@code server}, or an error naming what it has instead. */
    static PreforkDispatch of(BaseServer server) {
        if (server.dispatch instanceof PreforkDispatch p) {
            return p;
        }
        throw new IllegalStateException(server + " was made with " + server.dispatch.getClass().getSimpleName()
                + ", not Dispatch.preforking(n)");
    }

    void setMaxRequestsPerChild(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("maxRequestsPerChild < 0 (0: never recycle)");
        }
        maxRequestsPerChild = n;
    }

    int maxRequestsPerChild() {
        return maxRequestsPerChild;
    }

    /** The pids of the workers taking connections (not those starting, retiring or dead). */
    synchronized List<Long> workerPids() {
        List<Long> pids = new ArrayList<>();
        for (Worker w : ready) {
            pids.add(w.process.pid());
        }
        return pids;
    }

    /**
     * Waits until {@code workers} workers take connections, at most {@code timeout}; false if
     * they did not by then (or the server closed).
     */
    synchronized boolean awaitWorkers(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + Timeouts.boundedNanos(timeout);
        while (ready.size() < workers) {
            long left = deadline - System.nanoTime();
            if (closing || left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** The workers start with the server's activation, so that the first connections find them warm. */
    @Override
    public synchronized void serverActivate(BaseServer server) {
        if (!closing) {
            begin(server);
        }
    }

    /** Makes the hand-over socket and starts the dispatcher, once; caller holds the lock. */
    private void begin(BaseServer s) {
        if (handoff != null) {
            return;
        }
        server = s;
        SocketAddress a = s.serverAddress();
        family = a instanceof UnixDomainSocketAddress ? StandardProtocolFamily.UNIX
                : a instanceof InetSocketAddress i && i.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET;
        try {
            handoff = new HandoffSocket("prefork");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the preforking server's hand-over socket", e);
        }
        HandoffSocket h = handoff;
        dispatcher = Thread.ofPlatform().daemon().name("socketserver-prefork-dispatch").start(() -> dispatch(h));
    }

    @Override
    public void processRequest(BaseServer s, Object request, SocketAddress clientAddress) {
        if (!(request instanceof ChannelStreamSocket connection)) {
            throw new IllegalArgumentException("a preforking server hands over stream connections only, not " + request);
        }
        boolean handed;
        HandoffSocket h;
        synchronized (this) {
            if (closing) {
                throw new IllegalStateException("the server is closing");
            }
            begin(s);
            if (bootFailures >= MAX_BOOT_FAILURES && ready.isEmpty()) {
                throw new IllegalStateException(bootFailures + " worker JVMs in a row ended before they were ready (see"
                        + " the log): is the handler class " + s.requestHandlerClass().getName() + " loadable in a child"
                        + " JVM (the parent's class path) with a public no-arg constructor?");
            }
            handed = queue.isEmpty() && handOver(connection, clientAddress);
            if (!handed) {
                queue.add(new Queued(connection, clientAddress));
            }
            h = handoff;
        }
        if (handed) {
            s.closeRequest(connection); // the worker has its own copy; closing ours leaves it open
        } else {
            h.selector.wakeup();
        }
    }

    /**
     * Sends the connection to the next ready worker whose channel has room; false when none has
     * (the caller queues it). Caller holds the lock.
     */
    private boolean handOver(ChannelStreamSocket connection, SocketAddress clientAddress) {
        byte[] message = null;
        int fd = Fds.of(connection.channel());
        for (int tried = 0; tried < ready.size(); ) {
            if (next >= ready.size()) {
                next = 0;
            }
            Worker w = ready.get(next);
            if (message == null) {
                message = PreforkWorker.message(family, clientAddress);
            }
            long sent;
            try {
                sent = Libc.sendFd(w.controlFd, fd, message, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL);
            } catch (IOException e) {
                gone(w); // died: the dispatcher sees its end and replaces it
                continue;
            }
            if (sent < 0) { // its channel is full: the next one
                next++;
                tried++;
                continue;
            }
            next++;
            if (sent != message.length) {
                // The stream would be out of step with the worker's reads: it cannot go on.
                LOG.log(Level.ERROR, w + ": a hand-over message went out in part (" + sent + " of " + message.length
                        + " bytes); the worker is killed and replaced");
                w.process.kill();
                gone(w);
                return true; // the descriptor went with the first byte: the connection is the worker's
            }
            w.handed++;
            int max = maxRequestsPerChild;
            if (max > 0 && w.handed >= max) {
                retire(w);
            }
            return true;
        }
        return false;
    }

    /** Out of the rotation: its channel is closed for sending, it serves what it has and exits. Caller holds the lock. */
    private void retire(Worker w) {
        ready.remove(w);
        w.retiring = true;
        leaving.add(w);
        try {
            w.control.shutdownOutput();
        } catch (IOException e) {
            // it is already gone
        }
        HandoffSocket h = handoff;
        if (h != null) {
            h.selector.wakeup(); // a replacement starts
        }
    }

    /** Out of the rotation because it ended (or broke); caller holds the lock. */
    private void gone(Worker w) {
        if (ready.remove(w)) {
            leaving.add(w);
        }
    }

    // ------------------------------------------------------------------ the dispatcher thread

    private void dispatch(HandoffSocket h) {
        try {
            while (true) {
                int spawn;
                boolean busy;
                List<Queued> dropped = new ArrayList<>();
                List<Queued> failed = new ArrayList<>();
                synchronized (this) {
                    reap();
                    if (closing && closeStep(dropped)) {
                        return;
                    }
                    handQueued();
                    if (bootFailures >= MAX_BOOT_FAILURES && ready.isEmpty()) {
                        failed.addAll(queue);
                        queue.clear();
                    }
                    boolean wanted = !closing || !queue.isEmpty();
                    spawn = wanted && bootFailures < MAX_BOOT_FAILURES ? workers - ready.size() - starting.size() : 0;
                    busy = !queue.isEmpty() || !leaving.isEmpty();
                }
                for (Queued q : dropped) {
                    server.shutdownRequest(q.request());
                }
                for (Queued q : failed) {
                    fail(q, new IOException("no worker JVM to serve the connection: " + MAX_BOOT_FAILURES
                            + " in a row ended before they were ready (see the log)"));
                }
                for (int i = 0; i < spawn; i++) {
                    spawn(h); // outside the lock: the serving loop hands over or queues meanwhile
                }
                h.selector.select(busy ? BUSY_POLL_MILLIS : IDLE_POLL_MILLIS);
                for (SelectionKey key : h.selector.selectedKeys()) {
                    if (key.isAcceptable()) {
                        h.acceptChildren();
                    } else if (key.isReadable()) {
                        if (key.attachment() instanceof Worker w) {
                            readControl(key, w);
                        } else {
                            readToken(key);
                        }
                    }
                }
                h.selector.selectedKeys().clear();
                failOverdue();
            }
        } catch (IOException | ClosedSelectorException | UncheckedIOException e) {
            LOG.log(Level.ERROR, "the preforking server's dispatcher failed; its workers are killed", e);
        } finally {
            abandonAll();
        }
    }

    /**
     * One step of closing; true when it is done (nothing queued, no worker left). Caller holds
     * the lock; queued connections to close go to {@code dropped}.
     */
    private boolean closeStep(List<Queued> dropped) {
        if (!server.blockOnClose()) {
            dropped.addAll(queue);
            queue.clear();
        }
        if (queue.isEmpty() || (ready.isEmpty() && starting.isEmpty() && bootFailures >= MAX_BOOT_FAILURES)) {
            dropped.addAll(queue);
            queue.clear();
            for (Worker w : List.copyOf(ready)) {
                retire(w);
            }
            for (Worker w : starting.values()) {
                w.process.kill(); // it has no connection yet
                leaving.add(w);
            }
            starting.clear();
            if (!server.blockOnClose()) {
                for (Worker w : leaving) {
                    w.process.kill();
                }
            }
            return leaving.isEmpty();
        }
        return false;
    }

    /** Hands queued connections to ready workers, in order; caller holds the lock. */
    private void handQueued() {
        while (!queue.isEmpty() && !ready.isEmpty()) {
            Queued q = queue.peek();
            if (!handOver(q.request(), q.clientAddress())) {
                return; // every channel is full: later
            }
            queue.poll();
            server.closeRequest(q.request());
        }
    }

    private void spawn(HandoffSocket h) {
        long token = RANDOM.nextLong();
        BaseServer s = server;
        Process p = new Process("socketserver-prefork-worker",
                new PreforkWorker(s.requestHandlerClass().getName(), h.path.toString(), token, s.serverAddress()));
        p.setDaemon(true);
        try {
            p.start();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "a preforking server's worker JVM could not be started", e);
            synchronized (this) {
                bootFailures++;
            }
            return;
        }
        synchronized (this) {
            starting.put(token, new Worker(p, token));
        }
    }

    /** A worker's token: it becomes ready, its connection its channel (a stale or broken one is dropped). */
    private void readToken(SelectionKey key) {
        OptionalLong token = HandoffSocket.readToken(key);
        if (token.isEmpty()) {
            return; // on its way; or the worker broke off, and is seen dead
        }
        SocketChannel c = (SocketChannel) key.channel();
        Worker w;
        synchronized (this) {
            w = starting.remove(token.getAsLong());
            if (w != null) {
                w.control = c;
                w.controlFd = Fds.of(c);
                ready.add(w);
                bootFailures = 0;
                notifyAll(); // awaitWorkers
            }
        }
        if (w == null) {
            key.cancel();
            HandoffSocket.closeQuietly(c);
        } else {
            key.attach(w); // from now on, its end of stream says the worker is gone
        }
    }

    /** A worker's channel is readable: its end (the worker exited or died); it never sends anything else. */
    private void readControl(SelectionKey key, Worker w) {
        SocketChannel c = (SocketChannel) key.channel();
        int n;
        try {
            n = c.read(ByteBuffer.allocate(64));
        } catch (IOException e) {
            n = -1;
        }
        if (n >= 0) {
            return; // a worker says nothing; ignore what a broken one might
        }
        key.cancel();
        synchronized (this) {
            gone(w);
            HandoffSocket.closeQuietly(c); // under the lock: the serving loop never sends to a closed descriptor
            w.controlFd = -1;
        }
    }

    /** Workers that died before they were ready, or are late: killed and replaced. */
    private void failOverdue() {
        long now = System.nanoTime();
        synchronized (this) {
            for (Iterator<Worker> it = starting.values().iterator(); it.hasNext(); ) {
                Worker w = it.next();
                String why = !w.process.isAlive() ? "ended (exit code " + w.process.exitCode() + ") before it was ready"
                        : now - w.deadline > 0 ? "was not ready within " + BOOT_TIMEOUT : null;
                if (why != null) {
                    it.remove();
                    w.process.kill();
                    leaving.add(w);
                    bootFailures++;
                    int failures = bootFailures;
                    LOG.log(failures >= MAX_BOOT_FAILURES ? Level.ERROR : Level.WARNING, () -> server + ": " + w + " " + why
                            + (failures >= MAX_BOOT_FAILURES ? "; " + failures + " in a row: no more workers are started"
                                    + " (is the handler class loadable in a child JVM?)" : "; starting another"));
                }
            }
        }
    }

    /** Closes the processes of leaving workers that have ended; caller holds the lock. */
    private void reap() {
        for (Iterator<Worker> it = leaving.iterator(); it.hasNext(); ) {
            Worker w = it.next();
            if (!w.process.isAlive()) {
                it.remove();
                if (w.controlFd >= 0) {
                    HandoffSocket.closeQuietly(w.control);
                    w.controlFd = -1;
                }
                w.process.close();
                if (!w.retiring && !closing) {
                    LOG.log(Level.WARNING, () -> server + ": " + w + " ended (exit code " + w.process.exitCode()
                            + "); the connections it held are lost; a replacement starts");
                }
            }
        }
    }

    /** On the dispatcher's way out: every worker killed and reaped, every queued connection closed. */
    private void abandonAll() {
        List<Worker> all;
        List<Queued> left;
        synchronized (this) {
            closing = true;
            notifyAll(); // awaitWorkers
            all = new ArrayList<>(leaving);
            all.addAll(ready);
            all.addAll(starting.values());
            leaving.clear();
            ready.clear();
            starting.clear();
            left = new ArrayList<>(queue);
            queue.clear();
        }
        for (Worker w : all) {
            try {
                w.process.kill();
                w.process.join();
                w.process.close();
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "closing " + w, e);
            }
            if (w.control != null) {
                HandoffSocket.closeQuietly(w.control);
            }
        }
        for (Queued q : left) {
            server.shutdownRequest(q.request());
        }
    }

    private void fail(Queued q, Throwable e) {
        try {
            server.handleError(q.request(), q.clientAddress(), e);
        } finally {
            server.shutdownRequest(q.request());
        }
    }

    // ------------------------------------------------------------------ the server's side

    @Override
    public void serverClose(BaseServer s) {
        Thread d;
        HandoffSocket h;
        synchronized (this) {
            closing = true;
            d = dispatcher;
            h = handoff;
        }
        if (h != null) {
            h.selector.wakeup();
        }
        if (d != null) {
            try {
                d.join(); // it hands over what was queued, retires every worker and waits for them
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedInterruptedException(e);
            }
        }
        synchronized (this) {
            if (handoff != null) {
                handoff.close();
                handoff = null;
            }
        }
    }

    /** Workers taking connections (for tests). */
    synchronized int readyWorkers() {
        return ready.size();
    }

    /** Connections accepted and waiting for a worker (for tests). */
    synchronized int queued() {
        return queue.size();
    }
}
