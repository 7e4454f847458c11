package io.github.pyconcurrent.socketserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;

/**
 * A {@link StreamSocket} over a blocking JDK {@link SocketChannel} (TCP or Unix). A blocking
 * channel's read has no timeout: with one set, a TCP socket reads through the channel's socket
 * adaptor (whose {@code SO_TIMEOUT} gives it), and a Unix one, which has no adaptor, waits on a
 * selector of its own in non-blocking mode.
 */
final class ChannelStreamSocket extends StreamSocket {
    private final SocketChannel channel;
    private final boolean unix;
    private volatile Duration timeout;
    /** The adaptor's stream (TCP with a timeout), or null. */
    private InputStream in;
    /** The selector of timed reads on a Unix socket, or null. */
    private java.nio.channels.Selector selector;
    /**
     * The socket's bytes as a stream: {@link #recv} reads through it too, so that a handler's
     * {@code rfile} reaches the channel with no frame in between (a waiting virtual thread keeps
     * every frame of its stack).
     */
    private final Input input = new Input();
    /** Whether the last read got less than it asked for (see {@link Input#read(byte[], int, int)}). */
    private boolean drained;
    /** The virtual thread waiting for bytes ({@link #awaitReadable}), for {@link #close()} and the poller to wake. */
    private volatile Thread awaiting;
    /** The poller this socket is registered with (guarded by {@code this}), or null. */
    private ReadPoller poller;
    /** The descriptor registered with {@link #poller}; -1 while not, -2 when it cannot be (a fall-back to the JDK's wait). */
    private int watchedFd = -1;
    /** Whether bytes came since the last wait for them: set by {@link ReadPoller}. */
    private volatile boolean readable;
    /**
     * Set for good by {@link ReadPoller} once the peer closed (or reset, or sent urgent data):
     * reads then wait the JDK's way, level-triggered. A read that returns the last bytes does not
     * return the end of stream that came with them, and no new edge will tell of it.
     */
    private volatile boolean levelTriggered;

    ChannelStreamSocket(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.unix = channel.getLocalAddress() instanceof java.net.UnixDomainSocketAddress;
        channel.configureBlocking(true);
    }

    SocketChannel channel() {
        return channel;
    }

    @Override
    public byte[] recv(int bufsize) {
        if (bufsize < 0) {
            throw new IllegalArgumentException("negative buffersize in recv");
        }
        byte[] buf = new byte[bufsize];
        try {
            int n = bufsize == 0 ? 0 : input.read(buf, 0, bufsize);
            return n <= 0 ? new byte[0] : (n == bufsize ? buf : Arrays.copyOf(buf, n));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int send(byte[] data) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(data);
            int n;
            while ((n = channel.write(buf)) == 0 && data.length > 0) {
                awaitWritable();
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void sendall(byte[] data) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        try {
            while (buf.hasRemaining()) {
                if (channel.write(buf) == 0) {
                    awaitWritable();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A non-blocking socket whose send buffer is full: waits until it drains. A timed Unix
     * socket waits on its own selector (asked for writability meanwhile), at most the timeout; a
     * socket made non-blocking for {@link ReadPoller} (no timeout) with the JDK's own wait.
     */
    private void awaitWritable() throws IOException {
        if (selector == null) {
            closeIfInterrupted();
            Fds.awaitWritable(channel);
            closeIfInterrupted();
            return;
        }
        java.nio.channels.SelectionKey key = channel.keyFor(selector);
        Duration t = timeout;
        key.interestOps(java.nio.channels.SelectionKey.OP_WRITE);
        try {
            selector.selectedKeys().clear();
            if (selector.select(t == null ? 0 : Math.max(1, t.toMillis())) == 0) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted while the send buffer was full"));
                }
                throw new UncheckedIOException("timed out", new SocketTimeoutException("timed out"));
            }
        } finally {
            key.interestOps(java.nio.channels.SelectionKey.OP_READ);
        }
    }

    @Override
    public synchronized void settimeout(Duration timeout) {
        try {
            if (!unix) {
                long ms = timeout == null ? 0 : Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
                if (watchedFd >= 0) {
                    // Timed reads go through the socket adaptor, which needs blocking mode;
                    // untimed ones wait through the poller, in non-blocking mode (see watch()).
                    channel.configureBlocking(timeout != null);
                }
                channel.socket().setSoTimeout((int) ms);
                if (in == null) {
                    in = channel.socket().getInputStream();
                }
            } else if (timeout != null && selector == null) {
                // A timed Unix socket stays non-blocking; sendall waits on the same selector.
                selector = java.nio.channels.Selector.open();
                channel.configureBlocking(false);
                channel.register(selector, java.nio.channels.SelectionKey.OP_READ);
            }
            this.timeout = timeout;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Duration gettimeout() {
        return timeout;
    }

    @Override
    public SocketAddress getpeername() {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public SocketAddress getsockname() {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public <T> void setsockopt(SocketOption<T> option, T value) {
        try {
            channel.setOption(option, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the channel is readable, or closed ({@link #close()} wakes the waiter), or the
     * thread is interrupted (the socket is then closed, as the JDK's read does). Through
     * {@link ReadPoller}, whose registration lasts, where it runs; else, and once the peer has
     * closed or sent urgent data, with the JDK's own wait, which registers again each time.
     */
    private void awaitReadable() throws IOException {
        Thread me = Thread.currentThread();
        awaiting = me;
        try {
            if (!channel.isOpen()) {
                return;
            }
            ReadPoller p = watchedFd == -1 ? watch() : poller;
            if (p != null && !p.stopped() && !levelTriggered) {
                while (!readable && !levelTriggered && channel.isOpen() && !me.isInterrupted() && !p.stopped()) {
                    java.util.concurrent.locks.LockSupport.park(this);
                }
                closeIfInterrupted();
                if (!levelTriggered) {
                    // Cleared before the read: bytes that come after it is made set it again.
                    readable = false;
                    return;
                }
            }
            if (Fds.CAN_AWAIT_READABLE) {
                Fds.awaitReadable(channel);
            }
            if (watchedFd >= 0) {
                closeIfInterrupted(); // a non-blocking read would not
            }
        } finally {
            awaiting = null;
        }
    }

    /**
     * What the JDK's blocking read or write does on an interrupted thread, for a socket made
     * non-blocking for {@link ReadPoller} (a non-blocking channel's read ignores the interrupt,
     * and a wait for it would return at once, again and again): closes the socket and throws
     * {@link java.nio.channels.ClosedByInterruptException}, leaving the interrupt status set.
     */
    private void closeIfInterrupted() throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            close();
            throw new java.nio.channels.ClosedByInterruptException();
        }
    }

    /**
     * Registers this socket with the JVM's {@link ReadPoller}, once, and makes the channel
     * non-blocking: a read that finds nothing must come back here to wait, not park in the JDK's
     * poller, else the poller's event for the bytes that read then gets would wake the next wait
     * for nothing, and so on for every request. Returns the poller, or null for the JDK's wait
     * (no poller, a Unix socket, already closed). TCP only: a Unix stream read stops short where
     * another process's writes begin, with bytes left and no new edge to tell of them.
     */
    private synchronized ReadPoller watch() throws IOException {
        ReadPoller p = ReadPoller.get();
        if (p == null || unix || timeout != null || !channel.isOpen()) {
            watchedFd = -2;
            return null;
        }
        int fd = Fds.of(channel);
        readable = false; // the registration reports bytes already there
        if (!p.register(this, fd)) {
            watchedFd = -2;
            return null;
        }
        try {
            channel.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            p.unregister(this, fd);
            watchedFd = -2;
            throw e;
        }
        poller = p;
        watchedFd = fd;
        return p;
    }

    /** Whether this socket's reads wait through {@link ReadPoller} (for tests). */
    synchronized boolean watched() {
        return watchedFd >= 0;
    }

    /**
     * Bytes came (or the poller stopped): wakes the waiting thread. Called by {@link ReadPoller};
     * {@code hangUp}: the peer closed, reset or sent urgent data (see {@link #levelTriggered}).
     */
    void readable(boolean hangUp) {
        if (hangUp) {
            levelTriggered = true;
        }
        readable = true;
        Thread waiting = awaiting;
        if (waiting != null) {
            java.util.concurrent.locks.LockSupport.unpark(waiting);
        }
    }

    @Override
    public void close() {
        try {
            if (selector != null) {
                selector.close();
            }
            synchronized (this) {
                if (watchedFd >= 0) {
                    poller.unregister(this, watchedFd);
                }
                watchedFd = -2;
            }
            channel.close();
            // A thread waiting for readiness outside a read: the JDK's close wakes only readers
            // inside one (a closed descriptor leaves the poller's set silently).
            Thread waiting = awaiting;
            if (waiting != null) {
                java.util.concurrent.locks.LockSupport.unpark(waiting);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    InputStream inputStream() {
        return input;
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        /** Reads at least one byte (or -1 at end of stream), within the timeout if one is set. */
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            Duration t = timeout;
            if (t == null) {
                // On a virtual thread, after a read that drained the socket, the next bytes have
                // most likely not come yet: wait for them before reading, as a greenlet's socket
                // does (and Netty: a short read ends its read loop). The JDK's read would first
                // find nothing, a system call for nothing, and then make this same wait.
                if (drained && Thread.currentThread().isVirtual()) {
                    awaitReadable();
                }
                ByteBuffer into = ByteBuffer.wrap(b, off, len);
                int n;
                // 0: a channel watched by the poller is non-blocking, and this read found nothing.
                while ((n = channel.read(into)) == 0 && watchedFd >= 0) {
                    awaitReadable();
                }
                drained = n < len;
                return n;
            }
            if (!unix) {
                try {
                    return in.read(b, off, len);
                } catch (SocketTimeoutException e) {
                    throw new UncheckedIOException("timed out", e);
                }
            }
            long deadline = System.nanoTime() + t.toNanos();
            while (true) {
                int n = channel.read(ByteBuffer.wrap(b, off, len));
                if (n != 0) {
                    return n;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new UncheckedIOException("timed out", new SocketTimeoutException("timed out"));
                }
                selector.selectedKeys().clear();
                selector.select(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public String toString() {
        return "StreamSocket[" + channel + "]";
    }
}
