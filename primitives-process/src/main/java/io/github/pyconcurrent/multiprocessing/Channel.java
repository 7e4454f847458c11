package io.github.pyconcurrent.multiprocessing;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.LongFunction;

/**
 * The control connection between a parent JVM and one child JVM: a Unix domain socket in a 0700
 * directory of the parent's, opened by an exchange of one-time secrets in both directions
 * ({@link Proofs}), then a stream of frames.
 *
 * <p>Authentication. Python's spawn children get their instructions on an inherited pipe, which
 * needs none; its {@code Listener}/{@code Client} connections, which anyone could reach, pass an
 * HMAC challenge with an authkey ({@code deliver_challenge} / {@code answer_challenge}). A child
 * of ours has both: a private pipe from its parent (its stdin, the lifeline) and a socket. The
 * pipe carries the child two random secrets of 32 bytes made for it alone; the child opens the
 * socket by sending its pid and the first, and the parent answers with the second. A secret
 * crosses only the pipe (which only the parent holds) and the socket to the peer that proved
 * itself, and the parent accepts each child's connection once, so nothing an observer could learn
 * opens another connection. Why not an HMAC challenge: it adds nothing against a peer that could
 * not have read the pipe, and in a freshly started child JVM its SHA-256 is costly: the JDK's
 * algorithm-constraint and digest set-up on top of its security providers (in a bare JVM with a
 * class-data archive, the first {@code MessageDigest.getInstance("SHA-256")} took ~30 ms); the
 * providers themselves a child still sets up, for the {@code SecureRandom} the JDK's Unix-domain
 * socket code makes when its class initializes. Measured: 4 alternated pairs of 20 spawn starts
 * (load 7-10), 0.97x the user CPU without the challenge.
 *
 * <p>Frame layout (big-endian): {@code int length} of what follows, {@code byte type},
 * {@code long id}, then {@code length - 9} payload bytes. Types are {@link Frame}'s constants.
 * One thread reads; any thread may {@link #send}, whole frames never interleave.
 */
final class Channel implements AutoCloseable {
    /** The length of each of a child's two secrets ({@link Proofs}). */
    static final int PROOF_BYTES = 32;
    /** What a frame's length counts besides its payload: its type (1) and id (8). */
    private static final int TYPE_AND_ID = 1 + 8;
    /** A frame's header: its length (4), then type and id. */
    private static final int HEADER = 4 + TYPE_AND_ID;
    /** A frame larger than this is refused before its payload is read (a corrupt length). */
    private static final int MAX_FRAME = Integer.MAX_VALUE - 64;

    /** Buffer sizes: one read syscall brings in many small frames, one write sends many. */
    private static final int BUFFER = 64 * 1024;

    private final SocketChannel socket;
    /** The child's pid, on the parent's side once {@link #accept} checked it; else -1. */
    private long peer = -1;
    /** Received and not yet parsed bytes, between position and limit. Reader thread only. */
    private final ByteBuffer in = ByteBuffer.allocate(BUFFER).limit(0);
    /** Frames written and not yet flushed. Guarded by itself. */
    private final ByteBuffer out = ByteBuffer.allocate(BUFFER);

    private Channel(SocketChannel socket) {
        this.socket = socket;
    }

    /** One frame; {@code payload} is never null. */
    record Frame(byte type, long id, byte[] payload) {
        // child -> parent
        static final byte HELLO = 1;          // id: the child's pid
        static final byte RESULT = 2;         // id: task id; payload: the serialized result
        static final byte FAILURE = 3;        // id: task id; payload: a serialized TaskFailure
        static final byte EXITING = 4;        // the child's JVM is shutting down by exit (status is real)
        static final byte SIGNALED = 5;       // id: the signal number that ends the child
        static final byte READY = 6;          // a pool worker ran its initializer
        static final byte WARM = 7;           // a forkserver spare finished its warm-up
        static final byte INIT_FAILED = 8;    // a pool worker's initializer threw (payload: a serialized TaskFailure); it exits 1
        // parent -> child
        static final byte RUN = 20;           // payload: the serialized Process
        static final byte WORKER = 21;        // payload: the serialized WorkerConfig
        static final byte TASK = 22;          // id: task id; payload: the serialized SerializableCallable
        static final byte STOP = 23;          // a pool worker finishes what it has and exits
    }

    /**
     * The two secrets of one child's connection: the child shows {@code child}, the parent answers
     * with {@code parent}. Made by the parent for each child it starts; the child reads them from
     * its lifeline pipe ({@link #writeTo}, {@link #readFrom}).
     */
    record Proofs(byte[] child, byte[] parent) {
        static Proofs random() {
            byte[] both = new byte[2 * PROOF_BYTES];
            Randomness.SOURCE.nextBytes(both);
            return new Proofs(Arrays.copyOf(both, PROOF_BYTES), Arrays.copyOfRange(both, PROOF_BYTES, both.length));
        }

        void writeTo(DataOutput out) throws IOException {
            out.write(child);
            out.write(parent);
        }

        /** Made when the parent first needs it: a child, which only reads secrets, never sets up a {@code SecureRandom}. */
        private static final class Randomness {
            static final SecureRandom SOURCE = new SecureRandom();
        }

        static Proofs readFrom(DataInput in) throws IOException {
            byte[] child = new byte[PROOF_BYTES];
            byte[] parent = new byte[PROOF_BYTES];
            in.readFully(child);
            in.readFully(parent);
            return new Proofs(child, parent);
        }
    }

    /**
     * Parent side: reads the pid a freshly accepted connection claims to be and its proof, checks
     * the proof against {@code proofsOf(pid)} (null: no child of ours with that pid waits to
     * connect), and answers with the parent's. {@link #peer()} is then that pid.
     *
     * @throws IOException if the peer fails the check or goes away
     */
    static Channel accept(SocketChannel socket, LongFunction<Proofs> proofsOf) throws IOException {
        Channel c = new Channel(socket);
        if (!c.buffer(Long.BYTES + PROOF_BYTES)) {
            throw new EOFException("the control connection ended before it said who it is");
        }
        long pid = c.in.getLong();
        byte[] shown = c.readFully(PROOF_BYTES);
        Proofs expected = proofsOf.apply(pid);
        if (expected == null || !sameBytes(shown, expected.child())) {
            throw new IOException("a connection to the control socket failed authentication (claimed pid " + pid + ")");
        }
        c.writeFully(ByteBuffer.wrap(expected.parent()));
        c.peer = pid;
        return c;
    }

    /**
     * Child side: connects, shows this JVM's pid and its proof, and checks the parent's answer.
     *
     * @throws IOException if the socket is gone or the answer is not the parent's
     */
    static Channel connect(Path path, long pid, Proofs proofs) throws IOException {
        SocketChannel socket = SocketChannel.open(UnixDomainSocketAddress.of(path));
        Channel c = new Channel(socket);
        c.writeFully(ByteBuffer.allocate(Long.BYTES + PROOF_BYTES).putLong(pid).put(proofs.child()).flip());
        if (!sameBytes(c.readFully(PROOF_BYTES), proofs.parent())) {
            socket.close();
            throw new IOException("the parent's control socket failed authentication");
        }
        return c;
    }

    /** The pid the child proved to be ({@link #accept}); -1 on the child's side. */
    long peer() {
        return peer;
    }

    /**
     * Whether two secrets are equal, in time that does not depend on where they differ (what
     * {@code MessageDigest.isEqual} does, without loading the JDK's security classes in a child).
     */
    static boolean sameBytes(byte[] a, byte[] b) {
        if (a.length != b.length) {
            return false;
        }
        int difference = 0;
        for (int i = 0; i < a.length; i++) {
            difference |= a[i] ^ b[i];
        }
        return difference == 0;
    }

    /** Sends one frame now (with any frames written before it); {@link UncheckedIOException} if the other side is gone. */
    void send(byte type, long id, byte[] payload) {
        synchronized (out) {
            write(type, id, payload);
            flush();
        }
    }

    void send(byte type, long id) {
        send(type, id, EMPTY);
    }

    /**
     * Adds a frame to the outgoing buffer without sending it yet; {@link #flush()} sends. A frame
     * that does not fit is sent at once, after what was buffered.
     */
    void write(byte type, long id, byte[] payload) {
        synchronized (out) {
            if (out.remaining() < HEADER + payload.length) {
                flush();
            }
            if (out.remaining() >= HEADER + payload.length) {
                out.putInt(payload.length + TYPE_AND_ID).put(type).putLong(id).put(payload);
                return;
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER).putInt(payload.length + TYPE_AND_ID).put(type).putLong(id).flip();
            writeAll(new ByteBuffer[] {header, ByteBuffer.wrap(payload)});
        }
    }

    /** Sends every buffered frame. */
    void flush() {
        synchronized (out) {
            if (out.position() == 0) {
                return;
            }
            out.flip();
            try {
                writeAll(new ByteBuffer[] {out});
            } finally {
                out.clear();
            }
        }
    }

    private void writeAll(ByteBuffer[] buffers) {
        try {
            while (buffers[buffers.length - 1].hasRemaining()) {
                socket.write(buffers);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the other process's control connection is closed", e);
        }
    }

    private static final byte[] EMPTY = new byte[0];

    /** The next frame, or null at end of stream (the other process closed it or died). One reader only. */
    Frame receive() throws IOException {
        if (!buffer(HEADER)) {
            return null;
        }
        int length = in.getInt();
        if (length < TYPE_AND_ID || length > MAX_FRAME) {
            throw new IOException("corrupt frame length " + length);
        }
        byte type = in.get();
        long id = in.getLong();
        int n = length - TYPE_AND_ID;
        if (n == 0) {
            return new Frame(type, id, EMPTY);
        }
        byte[] payload = new byte[n];
        int buffered = Math.min(n, in.remaining());
        in.get(payload, 0, buffered);
        if (buffered < n) {
            ByteBuffer rest = ByteBuffer.wrap(payload, buffered, n - buffered);
            while (rest.hasRemaining()) {
                if (socket.read(rest) < 0) {
                    throw new EOFException("the control connection ended inside a frame");
                }
            }
        }
        return new Frame(type, id, payload);
    }

    /** Reads until {@code n} bytes are buffered; false on a clean end of stream at a frame boundary. */
    private boolean buffer(int n) throws IOException {
        if (in.remaining() >= n) {
            return true;
        }
        in.compact();
        try {
            while (in.position() < n) {
                if (socket.read(in) < 0) {
                    if (in.position() == 0) {
                        return false;
                    }
                    throw new EOFException("the control connection ended inside a frame");
                }
            }
        } finally {
            in.flip();
        }
        return true;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket whose peer is gone: nothing to do
        }
    }

    private byte[] readFully(int n) throws IOException {
        if (!buffer(n)) {
            throw new EOFException("the control connection ended");
        }
        byte[] bytes = new byte[n];
        in.get(bytes);
        return bytes;
    }

    private void writeFully(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            socket.write(buf);
        }
    }
}
