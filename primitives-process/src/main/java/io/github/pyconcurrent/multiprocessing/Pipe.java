package io.github.pyconcurrent.multiprocessing;

import java.io.Serializable;

/**
 * A pair of connected {@link Connection}s: Python's {@code multiprocessing.Pipe(duplex)}, whose
 * {@code (conn1, conn2)} are {@link #left()} and {@link #right()}.
 *
 * <pre>{@code
 * Pipe pipe = Pipe.open();                 // duplex: both ends send and receive
 * pipe.left().send(List.of(1, 2));
 * List<?> got = (List<?>) pipe.right().recv();
 *
 * Pipe oneWay = Pipe.open(false);          // left() only receives, right() only sends
 * }</pre>
 *
 * <p>Each direction is a ring of bytes in its own {@code /dev/shm} segment, owned by the JVM that
 * opened the pipe: unlinked once that JVM has closed both ends (or exits); processes already
 * attached keep working. {@link #close()} closes both ends in this JVM. Serializable as its two
 * handles.
 */
public final class Pipe implements Serializable, AutoCloseable {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    /** Python's {@code conn1}. */
    private final Connection left;
    /** Python's {@code conn2}. */
    private final Connection right;

    private Pipe(Connection left, Connection right) {
        this.left = left;
        this.right = right;
    }

    /**
     * A duplex pipe (Python's {@code Pipe()}).
     *
     * @return a new pipe whose two ends both send and receive
     */
    public static Pipe open() {
        return open(true);
    }

    /**
     * A pipe; with {@code duplex} false, {@link #left()} can only receive and {@link #right()} only
     * send (Python's {@code Pipe(duplex=False)}).
     *
     * @param duplex whether both ends send and receive; false: {@link #left()} receives and
     *     {@link #right()} sends
     * @return a new pipe
     */
    public static Pipe open(boolean duplex) {
        int bytes = QueueTuning.PIPE_RING_BYTES;
        return open(duplex, bytes);
    }

    /** With rings of {@code ringBytes} (a power of two): for tests of wrapping and limits. */
    static Pipe open(boolean duplex, int ringBytes) {
        Ring toLeft = Ring.create("pipe", ringBytes);
        Ring toRight = null;
        try {
            if (duplex) {
                toRight = Ring.create("pipe", ringBytes);
                // each ring has one reference per end that uses it
                Ring.open(toLeft.name());
                Ring.open(toRight.name());
                return new Pipe(new Connection(toLeft, toRight), new Connection(toRight, toLeft));
            }
            return new Pipe(new Connection(toLeft, null), new Connection(null, Ring.open(toLeft.name())));
        } catch (RuntimeException e) {
            toLeft.release();
            if (toRight != null) {
                toRight.release();
            }
            throw e;
        }
    }

    /**
     * Python's {@code conn1}: receives (and, duplex, sends).
     *
     * @return the first end, Python's {@code conn1}
     */
    public Connection left() {
        return left;
    }

    /**
     * Python's {@code conn2}: sends (and, duplex, receives).
     *
     * @return the second end, Python's {@code conn2}
     */
    public Connection right() {
        return right;
    }

    /** Closes both ends in this JVM. */
    @Override
    public void close() {
        left.close();
        right.close();
    }

    @Override
    public String toString() {
        return "Pipe[" + left + ", " + right + "]";
    }
}
