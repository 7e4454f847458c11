package io.github.pyconcurrent.examples;

import io.github.pyconcurrent.threading.Thread;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Python: the hotline server the tutorial writes by hand to show what {@code ThreadingTCPServer}
 * does inside: a {@code select} loop (here a {@link Selector}) that accepts each client and
 * starts a thread to talk to it.
 * <pre>
 * sk.bind(('127.0.0.1', 8002)); sk.listen(5)
 * while True:
 *     r, w, e = select.select([sk,], [], [], 1)
 *     print 'looping'
 *     if sk in r:
 *         print 'get request'
 *         request, client_address = sk.accept()
 *         t = threading.Thread(target=process, args=(request, client_address))
 *         t.daemon = False
 *         t.start()
 * </pre>
 * {@code process} is the hotline conversation ({@link Hotline}). Argument: the port (default
 * 8002; 0 picks a free one). {@link #shutdown()} and {@link #close()} are the Java extras that
 * let a caller (a test) stop it; the program itself serves until it is killed.
 */
public final class SelectServer implements AutoCloseable {
    private final ServerSocketChannel sk;
    private final Selector selector;
    private final PrintStream out;
    private final List<SocketChannel> clients = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;

    /** Binds and listens on {@code address} (backlog 5, as the tutorial's {@code listen(5)}). */
    public SelectServer(InetSocketAddress address, PrintStream out) {
        this.out = out;
        try {
            sk = ServerSocketChannel.open();
            sk.bind(address, 5);
            sk.configureBlocking(false);
            selector = Selector.open();
            sk.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8002;
        SelectServer server = new SelectServer(new InetSocketAddress("127.0.0.1", port), System.out);
        System.out.println("serving on " + server.address());
        server.serveForever();
    }

    /** The bound address (port 0 becomes the real port). */
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) sk.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The select loop: wakes at least once a second, accepts, and starts one thread per client. */
    public void serveForever() {
        try {
            while (!stop) {
                selector.select(1_000);
                out.println("looping");
                if (selector.selectedKeys().removeIf(SelectionKey::isAcceptable)) {
                    out.println("get request");
                    SocketChannel request = sk.accept();
                    if (request == null) {
                        continue;
                    }
                    request.configureBlocking(true);
                    SocketAddress clientAddress = request.getRemoteAddress();
                    Thread t = new Thread(() -> process(request, clientAddress));
                    t.setDaemon(false);
                    synchronized (clients) {
                        clients.add(request);
                        threads.add(t);
                    }
                    t.start();
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!stop) {
                throw e instanceof IOException io ? new UncheckedIOException(io) : (ClosedSelectorException) e;
            }
        }
    }

    /** One client's conversation (the tutorial's {@code process(request, client_address)}). */
    void process(SocketChannel conn, SocketAddress clientAddress) {
        out.println(conn + " " + clientAddress);
        try (conn) {
            send(conn, Hotline.WELCOME);
            ByteBuffer buf = ByteBuffer.allocate(Hotline.BUFSIZE);
            while (true) {
                buf.clear();
                int n = conn.read(buf);
                String answer = Hotline.answer(n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.UTF_8));
                if (answer == null) {
                    break;
                }
                send(conn, answer);
            }
        } catch (IOException e) {
            if (!stop) {
                out.println("connection with " + clientAddress + " broken: " + e);
            }
        }
    }

    private static void send(SocketChannel conn, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            conn.write(bytes);
        }
    }

    /** Makes {@link #serveForever()} return (from another thread), within its one-second select. */
    public void shutdown() {
        stop = true;
        selector.wakeup();
    }

    /**
     * Stops serving, closes the listening socket and every client connection still open, and
     * waits for the client threads to end.
     */
    @Override
    public void close() {
        shutdown();
        List<Thread> toJoin;
        synchronized (clients) {
            for (SocketChannel c : clients) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            toJoin = List.copyOf(threads);
        }
        toJoin.forEach(Thread::join);
        try {
            selector.close();
            sk.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
