package io.github.pyconcurrent.gevent;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;

/**
 * A TCP socket whose blocking calls switch to the hub instead of blocking the thread; gevent's
 * {@code gevent.socket.socket} (Python's socket API, made cooperative). Made by
 * {@link Gevent#socket()} (unconnected) or returned by {@link #accept()}.
 *
 * <pre>{@code
 * try (CooperativeSocket s = Gevent.socket()) {
 *     s.connect(new InetSocketAddress("127.0.0.1", port));
 *     s.sendall("GET / HTTP/1.0\r\n\r\n".getBytes(US_ASCII));
 *     byte[] chunk = s.recv(4096);                 // other greenlets run while it waits
 * }
 * }</pre>
 *
 * <p>It is one object that becomes a client ({@link #connect}) or a server ({@link #listen});
 * I/O failures surface as {@link UncheckedIOException}, a {@link #settimeout timeout} as one whose
 * cause is a {@link SocketTimeoutException} (Python's {@code socket.timeout}). One greenlet may
 * read and another write at the same time; two readers at once are refused. Confined to the
 * hub's thread.
 */
public final class CooperativeSocket implements Closeable {
    private final Hub hub;
    private SocketAddress bindAddress;
    private SocketChannel channel;
    private ServerSocketChannel server;
    /** null: wait forever (Python's None). */
    private Duration timeout;
    private boolean closed;
    /** Whether the last {@link #recv} got less than it asked for: see there. */
    private boolean drained;

    CooperativeSocket(Hub hub) {
        this.hub = hub;
    }

    private CooperativeSocket(Hub hub, SocketChannel accepted) throws IOException {
        this.hub = hub;
        accepted.configureBlocking(false);
        this.channel = accepted;
    }

    /**
     * Adopts a bound, listening {@code listening} channel as a cooperative listening socket of
     * this thread's hub (Python's {@code socket.socket(fileno=...)}): the channel is switched to
     * non-blocking mode; {@link #close()} closes it, {@link #detach()} gives it back.
     *
     * @param listening a channel already bound and listening; from now on this socket owns it
     * @return a listening socket of the calling thread's hub, ready for {@link #accept()}
     * @throws NullPointerException if {@code listening} is null
     * @throws UncheckedIOException if the channel cannot be switched to non-blocking mode (e.g. it
     *     is closed)
     */
    public static CooperativeSocket wrap(ServerSocketChannel listening) {
        java.util.Objects.requireNonNull(listening, "listening");
        try {
            listening.configureBlocking(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CooperativeSocket s = new CooperativeSocket(Hub.get());
        s.server = listening;
        return s;
    }

    /**
     * Adopts a connected {@code connected} channel, as {@link #wrap(ServerSocketChannel)} does a
     * listening one.
     *
     * @param connected a connected channel; from now on this socket owns it
     * @return a connected socket of the calling thread's hub, ready for {@link #recv} and
     *     {@link #send}
     * @throws NullPointerException if {@code connected} is null
     * @throws UncheckedIOException if the channel cannot be switched to non-blocking mode (e.g. it
     *     is closed)
     */
    public static CooperativeSocket wrap(SocketChannel connected) {
        java.util.Objects.requireNonNull(connected, "connected");
        try {
            return new CooperativeSocket(Hub.get(), connected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sets a socket option (Python's {@code setsockopt}), e.g.
     * {@code StandardSocketOptions.TCP_NODELAY}.
     *
     * @param <T> the option's value type
     * @param option the option to set, e.g. {@code StandardSocketOptions.SO_RCVBUF}
     * @param value its new value
     * @throws IllegalStateException if the socket is closed, or neither listening nor connected yet
     * @throws UnsupportedOperationException if the channel does not support {@code option}
     * @throws UncheckedIOException if the operating system refuses the value
     */
    public <T> void setsockopt(SocketOption<T> option, T value) {
        ensureOpen();
        try {
            if (channel != null) {
                channel.setOption(option, value);
            } else if (server != null) {
                server.setOption(option, value);
            } else {
                throw new IllegalStateException("set options after listen or connect");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops using the channel without closing it and returns it (Python's {@code detach()}): the
     * hub forgets the channel (its selector lets go of it at its next round), greenlets waiting
     * on it get an {@link UncheckedIOException}, and this socket counts as closed. The channel is
     * left in non-blocking mode.
     *
     * @return the channel (listening or connected), or null if the socket was neither
     * @throws IllegalStateException if the socket is already closed or detached
     */
    public java.nio.channels.NetworkChannel detach() {
        ensureOpen();
        closed = true;
        SelectableChannel c = channel != null ? channel : server;
        channel = null;
        server = null;
        if (c != null) {
            hub.cancelWaits(c);
            SelectionKey key = hub.keyFor(c);
            if (key != null) {
                key.cancel();
            }
        }
        return (java.nio.channels.NetworkChannel) c;
    }

    /**
     * Sets the timeout of every later blocking call; null waits forever. Python's
     * {@code settimeout}.
     *
     * @param timeout how long each later blocking call may wait before it fails with a timeout, or
     *     null to wait forever
     */
    public void settimeout(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * The timeout of blocking calls, or null.
     *
     * @return the timeout set by {@link #settimeout}, or null (the default) if blocking calls wait
     *     forever
     */
    public Duration gettimeout() {
        return timeout;
    }

    /**
     * Binds to {@code address} (port 0: any free port) before {@link #listen} or {@link #connect}.
     *
     * @param address the local address to use; port 0 picks any free port
     * @throws IllegalStateException if the socket is closed, or already listening or connected
     */
    public void bind(SocketAddress address) {
        ensureOpen();
        this.bindAddress = address;
        if (server == null && channel == null) {
            return;
        }
        throw new IllegalStateException("bind before listen or connect");
    }

    /**
     * Starts listening on the bound address with a backlog of {@code backlog}.
     *
     * @param backlog how many connections the operating system may queue before {@link #accept()}
     *     takes them
     * @throws IllegalStateException if the socket is closed, or already listening or connected
     * @throws UncheckedIOException if the address cannot be bound (e.g. it is in use: Python's
     *     {@code OSError})
     */
    public void listen(int backlog) {
        ensureOpen();
        if (server != null || channel != null) {
            throw new IllegalStateException("already listening or connected");
        }
        try {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            s.configureBlocking(false);
            s.bind(bindAddress, backlog);
            server = s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits for a connection and returns the connected socket (its peer is {@link #getpeername()}).
     *
     * @return a new connected socket for the accepted connection, belonging to the same hub
     * @throws IllegalStateException if the socket is closed or not listening
     * @throws UncheckedIOException if accepting fails, or with a {@link SocketTimeoutException}
     *     cause if no connection came within the {@link #settimeout timeout}
     */
    public CooperativeSocket accept() {
        ensureOpen();
        if (server == null) {
            throw new IllegalStateException("not listening");
        }
        try {
            while (true) {
                SocketChannel c = server.accept();
                if (c != null) {
                    return new CooperativeSocket(hub, c);
                }
                await(server, SelectionKey.OP_ACCEPT);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Connects to {@code address}, switching to the hub while the connection is made.
     *
     * @param address the peer to connect to
     * @throws IllegalStateException if the socket is closed, or already listening or connected
     * @throws UncheckedIOException if the connection is refused or fails, or with a
     *     {@link SocketTimeoutException} cause if it was not made within the
     *     {@link #settimeout timeout}
     */
    public void connect(SocketAddress address) {
        ensureOpen();
        if (server != null || channel != null) {
            throw new IllegalStateException("already listening or connected");
        }
        try {
            SocketChannel c = SocketChannel.open();
            channel = c;
            c.configureBlocking(false);
            if (bindAddress != null) {
                c.bind(bindAddress);
            }
            if (!c.connect(address)) {
                while (!c.finishConnect()) {
                    await(c, SelectionKey.OP_CONNECT);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Receives up to {@code bufsize} bytes; an empty array at end of stream.
     *
     * @param bufsize the most bytes to return; 0 returns an empty array at once
     * @return the bytes received, between 1 and {@code bufsize} of them; an empty array once the
     *     peer has closed its side (Python's {@code b''})
     * @throws IllegalArgumentException if {@code bufsize} is negative
     * @throws IllegalStateException if the socket is closed or not connected, or another greenlet
     *     is already reading
     * @throws UncheckedIOException if reading fails, or with a {@link SocketTimeoutException} cause
     *     if nothing came within the {@link #settimeout timeout}
     */
    public byte[] recv(int bufsize) {
        SocketChannel c = connected();
        if (bufsize < 0) {
            throw new IllegalArgumentException("negative buffersize in recv");
        }
        try {
            // A last read that drained the socket (it got less than it asked for) means the peer's
            // next message has most likely not come yet: wait for readiness first, since a read
            // that finds nothing is a system call for nothing. A guess only: when data is already
            // there the hub's next select (level-triggered) reports it at once.
            boolean waitFirst = drained && bufsize > 0;
            while (true) {
                // hub.waitIo, not await(): an idle connection's greenlet waits here and keeps
                // every frame under the switch, so one fewer counts
                boolean timedOut = waitFirst && !hub.waitIo(c, SelectionKey.OP_READ, timeout);
                // The hub's buffer, not one of this socket's: nothing is held while it waits.
                ByteBuffer buf = hub.readScratch(bufsize);
                int n = c.read(buf);
                if (n < 0) {
                    return new byte[0];
                }
                if (n > 0 || bufsize == 0) {
                    drained = n < bufsize;
                    return Arrays.copyOf(buf.array(), n);
                }
                if (timedOut) { // (data that came by the deadline was still read above)
                    throw new UncheckedSocketTimeout();
                }
                waitFirst = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends some of {@code data}; returns how many bytes were sent (at least one).
     *
     * @param data the bytes to send
     * @return how many of them were sent: at least one, unless {@code data} is empty
     * @throws IllegalStateException if the socket is closed or not connected
     * @throws UncheckedIOException if writing fails (e.g. the peer reset the connection), or with a
     *     {@link SocketTimeoutException} cause if nothing could be sent within the
     *     {@link #settimeout timeout}
     */
    public int send(byte[] data) {
        SocketChannel c = connected();
        ByteBuffer buf = ByteBuffer.wrap(data);
        try {
            while (true) {
                int n = c.write(buf);
                if (n > 0 || data.length == 0) {
                    return n;
                }
                await(c, SelectionKey.OP_WRITE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends all of {@code data}.
     *
     * @param data the bytes to send, all of them, in order
     * @throws IllegalStateException if the socket is closed or not connected
     * @throws UncheckedIOException if writing fails (e.g. the peer reset the connection), or with a
     *     {@link SocketTimeoutException} cause if the peer stopped reading for longer than the
     *     {@link #settimeout timeout}; some of {@code data} may have been sent then
     */
    public void sendall(byte[] data) {
        SocketChannel c = connected();
        ByteBuffer buf = ByteBuffer.wrap(data);
        try {
            while (buf.hasRemaining()) {
                if (c.write(buf) == 0) {
                    await(c, SelectionKey.OP_WRITE);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads until end of stream and returns everything read (a convenience beyond Python's API).
     *
     * @return every byte received until the peer closed its side; empty if it sent nothing
     * @throws IllegalStateException if the socket is closed or not connected
     * @throws UncheckedIOException as {@link #recv} does
     */
    public byte[] recvAll() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] chunk;
        while ((chunk = recv(8192)).length > 0) {
            out.writeBytes(chunk);
        }
        return out.toByteArray();
    }

    /** Closes the sending side (Python's {@code shutdown(SHUT_WR)}). */
    public void shutdownOutput() {
        try {
            connected().shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The local address.
     *
     * @return the address the socket is bound to, the address given to {@link #bind} if not yet
     *     bound, or null
     * @throws UncheckedIOException if the channel is closed
     */
    public SocketAddress getsockname() {
        try {
            if (server != null) {
                return server.getLocalAddress();
            }
            return channel != null ? channel.getLocalAddress() : bindAddress;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The peer's address.
     *
     * @return the address of the connected peer
     * @throws IllegalStateException if the socket is closed or not connected
     * @throws UncheckedIOException if the channel cannot report it
     */
    public SocketAddress getpeername() {
        try {
            return connected().getRemoteAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the socket (and its registration with the hub); idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            if (channel != null) {
                hub.cancelWaits(channel);
                channel.close();
            }
            if (server != null) {
                hub.cancelWaits(server);
                server.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void await(SelectableChannel c, int op) {
        if (!hub.waitIo(c, op, timeout)) {
            throw new UncheckedSocketTimeout();
        }
    }

    private SocketChannel connected() {
        ensureOpen();
        if (channel == null) {
            throw new IllegalStateException("not connected");
        }
        return channel;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("socket is closed");
        }
    }

    /** A socket timeout: an UncheckedIOException whose cause is a SocketTimeoutException. */
    private static final class UncheckedSocketTimeout extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        UncheckedSocketTimeout() {
            super("timed out", new SocketTimeoutException("timed out"));
        }
    }
}
