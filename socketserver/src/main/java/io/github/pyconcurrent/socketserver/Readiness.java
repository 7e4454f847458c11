package io.github.pyconcurrent.socketserver;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * How the serving loop waits for its socket: Python's {@code selector.select(poll_interval)} on
 * the server socket, plus a wake-up so that {@link BaseServer#shutdown()} need not wait out the
 * poll interval. Used by one thread at a time (the serving one); {@link #wakeup()} from any.
 */
abstract class Readiness implements Closeable {

    /** Waits until the socket is ready, {@code nanos} pass (negative: forever) or a wake-up; true when ready. */
    abstract boolean await(long nanos);

    /** Makes the current or next {@link #await} return at once. */
    abstract void wakeup();

    /** A JDK {@link Selector} on a non-blocking channel. */
    static Readiness of(SelectableChannel channel, int op) throws IOException {
        return new OnSelector(channel, op);
    }

    private static final class OnSelector extends Readiness {
        private final Selector selector;
        private final SelectionKey key;

        OnSelector(SelectableChannel channel, int op) throws IOException {
            selector = Selector.open();
            try {
                channel.configureBlocking(false);
                key = channel.register(selector, op);
            } catch (IOException | RuntimeException e) {
                selector.close();
                throw e;
            }
        }

        @Override
        boolean await(long nanos) {
            try {
                selector.selectedKeys().clear();
                if (nanos == 0) {
                    selector.selectNow();
                } else if (nanos < 0) {
                    selector.select();
                } else {
                    selector.select(Math.max(1, (nanos + 999_999) / 1_000_000));
                }
                return selector.selectedKeys().contains(key);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        void wakeup() {
            selector.wakeup();
        }

        @Override
        public void close() throws IOException {
            key.cancel();
            selector.close();
        }
    }

    /** poll(2) on a descriptor the JDK knows nothing of, with a self-pipe for wake-ups. */
    static Readiness ofFd(int fd) {
        return new OnPoll(fd);
    }

    private static final class OnPoll extends Readiness {
        private final int fd;
        private final int[] pipe = new int[2];
        private volatile boolean closed;

        OnPoll(int fd) {
            this.fd = fd;
            Libc.pipe2(pipe, Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        }

        @Override
        boolean await(long nanos) {
            int millis = nanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000);
            int[] fds = {fd, Libc.POLLIN, pipe[0], Libc.POLLIN};
            try {
                Libc.poll(fds, 2, millis);
            } catch (com.sun.jna.LastErrorException e) {
                if (e.getErrorCode() == Libc.EINTR) {
                    return false;
                }
                throw new UncheckedIOException(Libc.io("poll", e));
            }
            if ((fds[3] >>> 16) != 0) {
                drain();
            }
            return (fds[1] >>> 16) != 0;
        }

        private void drain() {
            byte[] buf = new byte[64];
            try {
                while (Libc.read(pipe[0], buf, buf.length) > 0) {
                    // empty the pipe
                }
            } catch (com.sun.jna.LastErrorException e) {
                // EAGAIN: empty
            }
        }

        @Override
        synchronized void wakeup() {
            if (closed) {
                return;
            }
            try {
                Libc.write(pipe[1], new byte[] {1}, 1);
            } catch (com.sun.jna.LastErrorException e) {
                // EAGAIN: the pipe is full, a wake-up is pending anyway
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                Libc.closeQuietly(pipe[0]);
                Libc.closeQuietly(pipe[1]);
            }
        }
    }
}
