package io.github.pyconcurrent.socketserver;

import java.io.OutputStream;
import java.net.StandardSocketOptions;
import java.time.Duration;

/**
 * A handler that reads and writes its connection as streams: Python's
 * {@code socketserver.StreamRequestHandler}. {@link #setup()} makes {@link #rfile} (buffered,
 * with {@code readline}) and {@link #wfile} (unbuffered, as Python's default {@code wbufsize = 0}:
 * every write is sent at once); {@link #finish()} flushes and closes both (not the socket: the
 * server closes that).
 *
 * <pre>{@code
 * public class LineEcho extends StreamRequestHandler {
 *     public LineEcho() {
 *         timeout = Duration.ofSeconds(30);   // optional, read in setup()
 *     }
 *     @Override
 *     protected void handle() throws IOException {
 *         byte[] line;
 *         while ((line = rfile.readline()).length > 0) {
 *             wfile.write(line);
 *         }
 *     }
 * }
 * }</pre>
 */
public abstract class StreamRequestHandler extends BaseRequestHandler<StreamSocket> {
    /** Receive timeout set on the socket in {@link #setup()}; null (the default): none. */
    protected Duration timeout;
    /** Whether {@link #setup()} sets {@code TCP_NODELAY} (TCP sockets only). */
    protected boolean disableNagleAlgorithm;
    /** The connection's incoming bytes. */
    protected LineReader rfile;
    /** The connection's outgoing bytes; unbuffered. */
    protected OutputStream wfile;

    /**
     * For subclasses: the server calls their no-arg constructor, then {@link #setup()},
     * {@link #handle()} and {@link #finish()}.
     *
     */
    protected StreamRequestHandler() {}

    @Override
    protected void setup() throws Exception {
        if (timeout != null) {
            request.settimeout(timeout);
        }
        if (disableNagleAlgorithm && request.getsockname() instanceof java.net.InetSocketAddress) {
            request.setsockopt(StandardSocketOptions.TCP_NODELAY, true);
        }
        rfile = new LineReader(request.inputStream());
        wfile = new SocketWriter(request);
    }

    @Override
    protected void finish() throws Exception {
        if (wfile != null) {
            wfile.flush();
            wfile.close();
        }
        if (rfile != null) {
            rfile.close();
        }
    }

    /** Python's {@code _SocketWriter}: each write is a {@code sendall}. */
    private static final class SocketWriter extends OutputStream {
        private final StreamSocket socket;
        private boolean closed;

        SocketWriter(StreamSocket socket) {
            this.socket = socket;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (closed) {
                throw new IllegalStateException("I/O operation on closed file");
            }
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            socket.sendall(off == 0 && len == b.length ? b : java.util.Arrays.copyOfRange(b, off, off + len));
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
