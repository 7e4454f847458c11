package io.github.pyconcurrent.socketserver;

import io.github.pyconcurrent.multiprocessing.Process;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Python's {@code ForkingMixIn} on the JVM, which cannot fork: each request runs in a child JVM of
 * its own (a {@link Process} of primitives-process, a warm spare by default), and the request's
 * socket is handed to it.
 *
 * <h2>The hand-over</h2>
 * The server owns a Unix socket {@code handoff} in a fresh directory of mode 0700. For each
 * request it starts a {@link Process} whose target ({@link ForkedRequest}) carries that path, a
 * random token, the handler's class name, the client's address (and a datagram's bytes). The
 * child connects and sends the token; the server answers with the request's descriptor in an
 * {@code SCM_RIGHTS} message (the connection's, or for datagram servers the server socket's)
 * and closes its own copy of a connection. The child puts a stream socket on its fd 0 and takes
 * it as {@code System.inheritedChannel()} (the JDK's one door for a socket made elsewhere; it is
 * read once per JVM, which suits one request per child), builds the handler from its class and
 * serves, as Python's forked child does, then exits.
 *
 * <h2>Children</h2>
 * At most {@code maxChildren} at once: a request beyond waits, saying so in the log
 * ({@code System.Logger} of this class, level INFO). Finished children are reaped every round
 * of the serving loop; with {@code blockOnClose}, {@code serverClose()} waits for the rest.
 * Children are daemon processes: they die with this JVM.
 */
final class ForkDispatch implements Dispatch {
    private static final System.Logger LOG = System.getLogger(ForkDispatch.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long a child may take to come for its request before the request fails. */
    private static final Duration HANDOFF_TIMEOUT = Duration.ofSeconds(60);

    /** Children serving, oldest first; guarded by this. */
    private final List<Process> active = new ArrayList<>();
    private Handoff handoff;

    @Override
    public void processRequest(BaseServer server, Object request, SocketAddress clientAddress) throws Exception {
        waitForRoom(server, clientAddress);
        int fd;
        int kind;
        byte[] data = null;
        if (request instanceof ChannelStreamSocket s) {
            fd = Fds.of(s.channel());
            kind = ForkedRequest.STREAM;
        } else if (request instanceof DatagramRequest d && d.socket() instanceof Listener l) {
            fd = l.fd();
            kind = l instanceof Listener.UnixDatagram ? ForkedRequest.UNIX_DATAGRAM : ForkedRequest.DATAGRAM;
            data = d.data();
        } else {
            throw new IllegalArgumentException("a forking server cannot hand over " + request);
        }
        Handoff h = handoff();
        long token = RANDOM.nextLong();
        ForkedRequest target = new ForkedRequest(server.requestHandlerClass().getName(), h.path.toString(), token, kind, data,
                clientAddress, server.serverAddress());
        Process child = new Process("socketserver-" + clientAddress, target);
        child.setDaemon(true);
        child.start();
        try {
            h.handOver(token, fd, child);
        } catch (Exception | Error e) {
            child.kill();
            child.join();
            child.close();
            throw e;
        }
        synchronized (this) {
            active.add(child);
        }
        // The child has its own copy now: Python's parent closes the request (never shuts it down).
        server.closeRequest(request);
    }

    private void waitForRoom(BaseServer server, SocketAddress clientAddress) {
        Process oldest;
        synchronized (this) {
            reap();
            if (active.size() < server.maxChildren()) {
                return;
            }
            LOG.log(Level.INFO, () -> server + ": " + active.size() + " children serving, maxChildren " + server.maxChildren()
                    + ": the request from " + clientAddress + " waits for one to finish");
        }
        while (true) {
            synchronized (this) {
                reap();
                if (active.size() < server.maxChildren()) {
                    return;
                }
                oldest = active.getFirst();
            }
            oldest.join(Duration.ofMillis(50));
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

    @Override
    public synchronized void serviceActions(BaseServer server) {
        reap();
    }

    @Override
    public void serverClose(BaseServer server) {
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

    private synchronized Handoff handoff() throws IOException {
        if (handoff == null) {
            handoff = new Handoff();
        }
        return handoff;
    }

    /** The server's end of the hand-over: a Unix socket the children connect to. */
    private static final class Handoff {
        final Path dir;
        final Path path;
        final ServerSocketChannel server;
        final Selector selector;

        Handoff() throws IOException {
            // Named like multiprocessing's control directories (owner pid and start time), so the
            // directory of a server that was killed is swept by the next JVM that starts children.
            dir = Files.createTempDirectory("pyconc-" + io.github.pyconcurrent.shared.ProcessIdentity.PID + "-"
                            + io.github.pyconcurrent.shared.ProcessIdentity.START_TICKS + "-handoff-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            path = dir.resolve("handoff");
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
        }

        /** Waits for {@code child} to connect with {@code token}, and sends it {@code fd}. */
        void handOver(long token, int fd, Process child) throws IOException {
            long deadline = System.nanoTime() + HANDOFF_TIMEOUT.toNanos();
            while (true) {
                SocketChannel c = server.accept();
                if (c == null) {
                    if (!child.isAlive()) {
                        throw new IOException("the child JVM " + child.pid() + " ended (exit code " + child.exitCode()
                                + ") before it took the request");
                    }
                    if (System.nanoTime() - deadline > 0) {
                        throw new IOException("the child JVM " + child.pid() + " did not come for the request within "
                                + HANDOFF_TIMEOUT);
                    }
                    selector.selectedKeys().clear();
                    selector.select(100);
                    continue;
                }
                try (c) {
                    // The child writes its token right after connecting; a child that dies first gives end of stream.
                    c.configureBlocking(true);
                    ByteBuffer got = ByteBuffer.allocate(Long.BYTES);
                    while (got.hasRemaining() && c.read(got) >= 0) {
                        // keep reading
                    }
                    if (got.hasRemaining() || got.getLong(0) != token) {
                        continue; // not this request's child (a stale one)
                    }
                    Libc.sendFd(Fds.of(c), fd, (byte) 1);
                    return;
                }
            }
        }

        void close() {
            try {
                selector.close();
                server.close();
                Files.deleteIfExists(path);
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
