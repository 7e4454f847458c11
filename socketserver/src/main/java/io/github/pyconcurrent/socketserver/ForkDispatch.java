package io.github.pyconcurrent.socketserver;

import io.github.pyconcurrent.multiprocessing.Process;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
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
import java.util.concurrent.TimeUnit;

/**
 * Python's {@code ForkingMixIn} on the JVM, which cannot fork: each request runs in a child JVM of
 * its own (a {@link Process} of primitives-process, a warm spare by default), and the request's
 * socket is handed to it.
 *
 * <h2>The serving loop never waits for a child</h2>
 * A JVM takes far longer to start than a fork, so unlike Python's loop, the serving loop only
 * queues the accepted request and goes back to accepting: a burst of clients is taken off the
 * listen backlog at once (the backlog never fills while children start, and no client whose
 * handshake completed is left unaccepted). A dispatcher thread of the server's
 * ({@code socketserver-forking-dispatch}) starts a child for each queued request, in order, as
 * long as fewer than {@code maxChildren} are starting or serving, and at most
 * {@link #MAX_STARTING} (the CPUs) are starting; a request beyond waits in the queue (Python's
 * loop would block in {@code collect_children} instead), and the first to wait says so in the
 * log ({@code System.Logger} of this class, INFO), once until the queue empties.
 *
 * <h2>The hand-over</h2>
 * The server owns a Unix socket {@code handoff} in a fresh directory of mode 0700. For each
 * request it starts a {@link Process} whose target ({@link ForkedRequest}) carries that path, a
 * random token, the handler's class name, the client's address (and a datagram's bytes). The
 * child connects and sends the token; the dispatcher answers with the request's descriptor in an
 * {@code SCM_RIGHTS} message (the connection's, or for datagram servers the server socket's)
 * and closes its own copy of a connection. Several children may be starting at once; each token
 * finds its own request. The child puts a stream socket on its fd 0 and takes it as
 * {@code System.inheritedChannel()} (the JDK's one door for a socket made elsewhere; it is read
 * once per JVM, which suits one request per child), builds the handler from its class and serves,
 * as Python's forked child does, then exits. A child that dies or does not come within
 * {@value #HANDOFF_TIMEOUT_SECONDS} s fails its request ({@code handleError}, the connection closed).
 *
 * <h2>Children</h2>
 * Finished children are reaped by the dispatcher, which a child's end wakes (and by every round
 * of the serving loop); with {@code blockOnClose}, {@code serverClose()} serves the queued
 * requests and waits for every child; without, it closes the queued requests and lets running children be. Children are daemon
 * processes: they die with this JVM.
 */
final class ForkDispatch implements Dispatch {
    private static final System.Logger LOG = System.getLogger(ForkDispatch.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int HANDOFF_TIMEOUT_SECONDS = 60;
    /** How long a child may take to come for its request before the request fails. */
    private static final Duration HANDOFF_TIMEOUT = Duration.ofSeconds(HANDOFF_TIMEOUT_SECONDS);
    /**
     * Child JVMs starting at once, at most: the CPUs (at least 2). Started all at once, a crowd of
     * JVMs shares the CPUs and every one of them is late (64 at once on 2 CPUs: none had come
     * after a minute); a few at a time, they come one after another.
     */
    static final int MAX_STARTING = Math.max(2, Runtime.getRuntime().availableProcessors());

    /** A request accepted and not yet in a child. */
    private record Queued(BaseServer server, Object request, SocketAddress clientAddress) {}

    /** A request whose child is starting: it waits for the child to come with {@code token}. */
    private record Starting(Queued queued, int fd, Process child, long deadline) {}

    // Guarded by this.
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    /** Children serving, oldest first. */
    private final List<Process> active = new ArrayList<>();
    private boolean closing;
    private boolean shortLogged;
    private HandoffSocket handoff;
    private Thread dispatcher;

    // Confined to the dispatcher thread.
    private final Map<Long, Starting> starting = new HashMap<>();

    @Override
    public void processRequest(BaseServer server, Object request, SocketAddress clientAddress) throws IOException {
        requireForkable(request);
        HandoffSocket h;
        synchronized (this) {
            if (closing) {
                throw new IllegalStateException("the server is closing");
            }
            h = handoff();
            queue.add(new Queued(server, request, clientAddress));
        }
        h.selector.wakeup();
    }

    private static void requireForkable(Object request) {
        if (!(request instanceof ChannelStreamSocket)
                && !(request instanceof DatagramRequest d && d.socket() instanceof Listener)) {
            throw new IllegalArgumentException("a forking server cannot hand over " + request);
        }
    }

    /** The hand-over socket and the dispatcher thread, made with the first request; caller holds the lock. */
    private HandoffSocket handoff() throws IOException {
        if (handoff == null) {
            handoff = new HandoffSocket("handoff");
            HandoffSocket h = handoff;
            dispatcher = Thread.ofPlatform().daemon().name("socketserver-forking-dispatch").start(() -> dispatch(h));
        }
        return handoff;
    }

    // ------------------------------------------------------------------ the dispatcher thread

    private void dispatch(HandoffSocket h) {
        try {
            while (true) {
                List<Queued> launch;
                synchronized (this) {
                    reap();
                    launch = takeRoom();
                    if (closing && queue.isEmpty() && launch.isEmpty() && starting.isEmpty()) {
                        return;
                    }
                }
                for (Queued q : launch) {
                    start(q, h); // outside the lock: the serving loop queues on meanwhile
                }
                // Woken by a new request, a child's connection, a child's end (see start), or
                // the first hand-over deadline: nothing to poll for.
                h.selector.select(millisToFirstDeadline());
                for (SelectionKey key : h.selector.selectedKeys()) {
                    if (key.isAcceptable()) {
                        h.acceptChildren();
                    } else if (key.isReadable()) {
                        readToken(key);
                    }
                }
                h.selector.selectedKeys().clear();
                failOverdue();
            }
        } catch (IOException | ClosedSelectorException e) {
            LOG.log(Level.ERROR, "the forking server's dispatcher failed; the requests still queued are closed", e);
        } finally {
            abandonAll();
        }
    }

    /** Takes the queued requests there is room for; caller holds the lock. */
    private List<Queued> takeRoom() {
        List<Queued> launch = new ArrayList<>();
        while (!queue.isEmpty()) {
            Queued q = queue.peek();
            int max = q.server().maxChildren();
            int booting = starting.size() + launch.size();
            int busy = active.size() + booting;
            if (busy >= max || booting >= MAX_STARTING) {
                if (!shortLogged) {
                    shortLogged = true;
                    int waiting = queue.size();
                    String why = busy >= max ? busy + " children serving or starting, maxChildren " + max
                            : "short of warm spares: " + booting + " child JVMs starting (at most " + MAX_STARTING + " at once)";
                    LOG.log(Level.INFO, () -> q.server() + ": " + why + ": " + waiting + " request(s) wait in the queue"
                            + " (the request from " + q.clientAddress() + " first); logged once until the queue empties");
                }
                return launch;
            }
            launch.add(queue.poll());
        }
        shortLogged = false;
        return launch;
    }

    /** For the dispatcher's select: until the first starting child's deadline (0: none, wait for a wake-up). */
    private long millisToFirstDeadline() {
        if (starting.isEmpty()) {
            return 0;
        }
        long first = Long.MAX_VALUE;
        for (Starting s : starting.values()) {
            first = Math.min(first, s.deadline());
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(first - System.nanoTime()) + 1);
    }

    private void start(Queued q, HandoffSocket h) {
        int fd;
        int kind;
        byte[] data = null;
        if (q.request() instanceof ChannelStreamSocket s) {
            fd = Fds.of(s.channel());
            kind = ForkedRequest.STREAM;
        } else {
            DatagramRequest d = (DatagramRequest) q.request();
            Listener l = (Listener) d.socket();
            fd = l.fd();
            kind = l instanceof Listener.UnixDatagram ? ForkedRequest.UNIX_DATAGRAM : ForkedRequest.DATAGRAM;
            data = d.data();
        }
        long token = RANDOM.nextLong();
        Process child = null;
        try {
            ForkedRequest target = new ForkedRequest(q.server().requestHandlerClass().getName(), handoff.path.toString(),
                    token, kind, data, q.clientAddress(), q.server().serverAddress());
            child = new Process("socketserver-" + q.clientAddress(), target);
            child.setDaemon(true);
            child.start();
            Process started = child;
            // Its end wakes the dispatcher: a child that dies before coming fails its request at
            // once, and one that has served makes room for the next request.
            Thread.ofVirtual().name("socketserver-forking-exit-" + started.pid()).start(() -> {
                try {
                    started.join();
                } finally {
                    h.selector.wakeup();
                }
            });
        } catch (RuntimeException | Error e) {
            if (child != null) {
                discard(child);
            }
            fail(q, e);
            return;
        }
        starting.put(token, new Starting(q, fd, child, System.nanoTime() + HANDOFF_TIMEOUT.toNanos()));
    }

    /** A child's token: hand it its request's descriptor (a stale or broken child is dropped). */
    private void readToken(SelectionKey key) {
        OptionalLong token = HandoffSocket.readToken(key);
        if (token.isEmpty()) {
            return; // on its way; or the child broke off, and its request fails when it is seen dead
        }
        SocketChannel c = (SocketChannel) key.channel();
        key.cancel();
        Starting s = starting.remove(token.getAsLong()); // null: not a request's child (a stale one)
        try {
            if (s != null) {
                Libc.sendFd(Fds.of(c), s.fd(), (byte) 1);
            }
        } catch (IOException | RuntimeException e) {
            discard(s.child());
            fail(s.queued(), e);
            return;
        } finally {
            HandoffSocket.closeQuietly(c);
        }
        if (s != null) {
            synchronized (this) {
                active.add(s.child());
            }
            // The child has its own copy now: Python's parent closes the request (never shuts it down).
            s.queued().server().closeRequest(s.queued().request());
        }
    }

    /** Fails the requests whose child died before coming, or did not come in time. */
    private void failOverdue() {
        long now = System.nanoTime();
        for (Iterator<Starting> it = starting.values().iterator(); it.hasNext(); ) {
            Starting s = it.next();
            String why = null;
            if (!s.child().isAlive()) {
                why = "the child JVM " + s.child().pid() + " ended (exit code " + s.child().exitCode()
                        + ") before it took the request";
            } else if (now - s.deadline() > 0) {
                why = "the child JVM " + s.child().pid() + " did not come for the request within " + HANDOFF_TIMEOUT;
            }
            if (why != null) {
                it.remove();
                discard(s.child());
                fail(s.queued(), new IOException(why));
            }
        }
    }

    /** On the dispatcher's way out: what it still holds is closed, never left hanging. */
    private void abandonAll() {
        List<Queued> left;
        synchronized (this) {
            left = new ArrayList<>(queue);
            queue.clear();
        }
        for (Starting s : starting.values()) {
            discard(s.child());
            left.add(s.queued());
        }
        starting.clear();
        for (Queued q : left) {
            q.server().shutdownRequest(q.request());
        }
    }

    private static void fail(Queued q, Throwable e) {
        try {
            q.server().handleError(q.request(), q.clientAddress(), e);
        } finally {
            q.server().shutdownRequest(q.request());
        }
    }

    private static void discard(Process child) {
        try {
            if (child.isAlive()) {
                child.kill();
            }
            child.join();
            child.close();
        } catch (RuntimeException e) {
            // never started: nothing to reap
        }
    }

    /** Closes finished children; caller holds the lock. */
    private void reap() {
        for (Iterator<Process> it = active.iterator(); it.hasNext(); ) {
            Process p = it.next();
            if (!p.isAlive()) {
                it.remove();
                p.close();
            }
        }
    }

    // ------------------------------------------------------------------ the server's side

    @Override
    public synchronized void serviceActions(BaseServer server) {
        reap();
    }

    @Override
    public void serverClose(BaseServer server) {
        Thread d;
        HandoffSocket h;
        List<Queued> dropped = List.of();
        synchronized (this) {
            closing = true;
            if (!server.blockOnClose()) {
                dropped = new ArrayList<>(queue);
                queue.clear();
            }
            d = dispatcher;
            h = handoff;
        }
        for (Queued q : dropped) {
            q.server().shutdownRequest(q.request());
        }
        if (h != null) {
            h.selector.wakeup();
        }
        if (d != null) {
            try {
                d.join(); // it hands over what was queued and ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedInterruptedException(e);
            }
        }
        if (server.blockOnClose()) {
            List<Process> children;
            synchronized (this) {
                children = new ArrayList<>(active);
            }
            for (Process p : children) {
                p.join();
            }
        }
        synchronized (this) {
            reap();
            if (handoff != null) {
                handoff.close();
                handoff = null;
            }
        }
    }

    /** Children serving now (for tests). */
    synchronized int activeChildren() {
        reap();
        return active.size();
    }

    /** Requests accepted and waiting for a child (for tests). */
    synchronized int queued() {
        return queue.size();
    }
}
