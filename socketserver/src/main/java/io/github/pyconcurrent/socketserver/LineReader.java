package io.github.pyconcurrent.socketserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A buffered reader of bytes with Python's {@code readline}: the {@code rfile} of
 * {@link StreamRequestHandler} and {@link DatagramRequestHandler}.
 *
 * <pre>{@code
 * byte[] line;
 * while ((line = rfile.readline()).length > 0) {   // "b''" at end of stream
 *     wfile.write(line);                             // the newline is kept
 * }
 * }</pre>
 *
 * <p>Reads never throw checked exceptions: an I/O failure is an {@link UncheckedIOException}.
 * Closing it does not close the socket (Python's {@code rfile.close()} neither). Not thread-safe:
 * one handler reads it.
 */
public final class LineReader extends InputStream {
    /** The largest buffer (Python's {@code io.DEFAULT_BUFFER_SIZE}), and the size of {@link #read(int)}'s chunks. */
    private static final int BUFFER = 8192;
    /**
     * The first buffer's size. A connection waiting for its next line on a blocking source (a
     * virtual or platform thread's) holds its buffer, so a server of 10,000 idle connections pays
     * it 10,000 times: short request lines fit, and a read that fills it doubles it (up to
     * {@link #BUFFER}), so a stream of longer lines costs a few more reads at its start, once.
     * (512 before: 0.4 KB more per idle virtual-thread connection.)
     */
    static final int FIRST_BUFFER = 128;
    private final InputStream source;
    /** Whether {@link #source} is a {@link Chunks} source (its arrays become {@link #buf}). */
    private final boolean chunked;
    private byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    private boolean closed;

    /**
     * A source that hands over what arrived as an array of its own, exactly as long ({@link
     * CooperativeStreamSocket}'s: its receive buffer is the hub's). Read from such a source the
     * reader keeps no buffer of its own: the last array is the buffer, so a connection waiting
     * for its next line holds only the bytes of the last one.
     */
    interface Chunks {
        /** At most {@code max} bytes, at least one; empty at end of stream. */
        byte[] readChunk(int max) throws IOException;
    }

    private static final byte[] NOTHING = new byte[0];
    /** The size a {@link Chunks} source is asked for; grows as {@link #buf} does otherwise. */
    private int chunk = FIRST_BUFFER;

    LineReader(InputStream source) {
        this.source = source;
        this.chunked = source instanceof Chunks;
        this.buf = chunked ? NOTHING : new byte[FIRST_BUFFER];
    }

    /**
     * Reads one line, keeping its {@code \n}; the last line may lack it; empty at end of stream.
     *
     * @return the next line, with its {@code \n} if it had one; an empty array at end of stream
     * @throws java.io.UncheckedIOException if reading from the connection fails, or it timed out
     */
    public byte[] readline() {
        return readline(-1);
    }

    /**
     * Reads one line of at most {@code size} bytes (negative: no limit), keeping its {@code \n};
     * a longer line comes back in pieces of {@code size} bytes; empty at end of stream.
     *
     * @param size the most bytes to return; negative for no limit
     * @return the next line or piece of a line, with its {@code \n} if it ended there; an empty
     *     array at end of stream
     * @throws java.io.UncheckedIOException if reading from the connection fails, or it timed out
     */
    public byte[] readline(int size) {
        ensureOpen();
        ByteArrayOutputStream line = null;
        while (size < 0 || (line == null ? 0 : line.size()) < size) {
            if (pos == limit && !fill()) {
                break;
            }
            int want = size < 0 ? Integer.MAX_VALUE : size - (line == null ? 0 : line.size());
            int end = pos;
            int max = (int) Math.min(limit, (long) pos + want);
            while (end < max && buf[end] != '\n') {
                end++;
            }
            boolean newline = end < max;
            if (newline) {
                end++;
            }
            if (line == null && (newline || end - pos == want)) {
                byte[] out;
                if (chunked && pos == 0 && end == limit) {
                    out = buf; // the chunk is the line: handed over whole, not copied
                } else {
                    out = Arrays.copyOfRange(buf, pos, end);
                }
                pos = end;
                releaseConsumedChunk();
                return out;
            }
            if (line == null) {
                line = new ByteArrayOutputStream();
            }
            line.write(buf, pos, end - pos);
            pos = end;
            releaseConsumedChunk();
            if (newline) {
                break;
            }
        }
        return line == null ? new byte[0] : line.toByteArray();
    }

    /**
     * Reads up to {@code n} bytes (Python's {@code read(n)}: fewer only at end of stream).
     *
     * @param n how many bytes to read; 0 or negative returns an empty array
     * @return {@code n} bytes, or fewer if the stream ended first
     * @throws java.io.UncheckedIOException if reading from the connection fails, or it timed out
     */
    public byte[] read(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[Math.min(Math.max(n, 0), BUFFER)];
        while (out.size() < n) {
            int got = read(chunk, 0, Math.min(chunk.length, n - out.size()));
            if (got < 0) {
                break;
            }
            out.write(chunk, 0, got);
        }
        return out.toByteArray();
    }

    @Override
    public int read() {
        ensureOpen();
        if (pos == limit && !fill()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        ensureOpen();
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (pos == limit) {
            if (len >= Math.max(buf.length, chunk)) {
                return readSource(b, off, len); // large reads bypass the buffer
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        releaseConsumedChunk();
        return n;
    }

    @Override
    public int available() {
        return limit - pos;
    }

    /** Marks this reader closed; the socket stays open. */
    @Override
    public void close() {
        closed = true;
    }

    /**
     * Lets go of a {@link Chunks} source's array once every byte of it was taken: a connection
     * waiting for its next line then holds no bytes of the last one (the array may also have been
     * handed over as the line itself).
     */
    private void releaseConsumedChunk() {
        if (chunked && pos == limit) {
            buf = NOTHING;
            pos = 0;
            limit = 0;
        }
    }

    private boolean fill() {
        if (eof) {
            return false;
        }
        if (source instanceof Chunks chunks) {
            byte[] got;
            try {
                got = chunks.readChunk(chunk);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (got.length == 0) {
                eof = true;
                return false;
            }
            if (got.length == chunk && chunk < BUFFER) {
                chunk *= 2; // more is coming than small lines: ask for larger pieces
            }
            buf = got;
            pos = 0;
            limit = got.length;
            return true;
        }
        if (limit == buf.length && buf.length < BUFFER) {
            // The last read filled the buffer: more is coming than small lines, so read in larger
            // pieces. The buffer is empty here (a fill follows pos == limit): nothing to copy.
            buf = new byte[buf.length * 2];
        }
        int n = readSource(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    private int readSource(byte[] b, int off, int len) {
        if (eof) {
            return -1;
        }
        try {
            int n = source.read(b, off, len);
            if (n < 0) {
                eof = true;
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("I/O operation on closed file");
        }
    }
}
