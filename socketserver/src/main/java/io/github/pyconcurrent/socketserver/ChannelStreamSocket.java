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
    /** The virtual thread waiting in {@link Fds#awaitReadable}, for {@link #close()} to wake. */
    private volatile Thread awaiting;

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
     * A non-blocking (timed Unix) socket whose send buffer is full: waits until it drains, on the
     * socket's own selector (asked for writability meanwhile), at most the timeout.
     */
    private void awaitWritable() throws IOException {
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

    /** Waits until the channel is readable (or closed: {@link #close()} wakes the waiter). */
    private void awaitReadable() throws IOException {
        awaiting = Thread.currentThread();
        try {
            if (channel.isOpen()) {
                Fds.awaitReadable(channel);
            }
        } finally {
            awaiting = null;
        }
    }

    @Override
    public void close() {
        try {
            if (selector != null) {
                selector.close();
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
                if (drained && Fds.CAN_AWAIT_READABLE && Thread.currentThread().isVirtual()) {
                    awaitReadable();
                }
                int n = channel.read(ByteBuffer.wrap(b, off, len));
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
