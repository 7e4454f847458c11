package io.github.pyconcurrent.multiprocessing;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The control connection between a parent JVM and one child JVM: a Unix domain socket in a 0700
 * directory of the parent's, opened by an HMAC challenge in both directions with the parent's
 * random authkey (Python's {@code multiprocessing.connection} {@code deliver_challenge} /
 * {@code answer_challenge}), then a stream of frames.
 *
 * <p>Frame layout (big-endian): {@code int length} of what follows, {@code byte type},
 * {@code long id}, then {@code length - 9} payload bytes. Types are {@link Frame}'s constants.
 * One thread reads; any thread may {@link #send}, whole frames never interleave.
 */
final class Channel implements AutoCloseable {
    static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 32;
    /** SHA-256's block: an HMAC key is padded (or first hashed) to it. */
    private static final int SHA256_BLOCK = 64;
    /** An HMAC-SHA256 answer to a challenge. */
    private static final int HMAC_BYTES = 32;
    /** What a frame's length counts besides its payload: its type (1) and id (8). */
    private static final int TYPE_AND_ID = 1 + 8;
    /** A frame's header: its length (4), then type and id. */
    private static final int HEADER = 4 + TYPE_AND_ID;
    /** A frame larger than this is refused before its payload is read (a corrupt length). */
    private static final int MAX_FRAME = Integer.MAX_VALUE - 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Buffer sizes: one read syscall brings in many small frames, one write sends many. */
    private static final int BUFFER = 64 * 1024;

    private final SocketChannel socket;
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

    static byte[] newAuthKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /** Parent side: authenticates a freshly accepted connection, both ways. */
    static Channel accept(SocketChannel socket, byte[] authkey) throws IOException {
        Channel c = new Channel(socket);
        byte[] challenge = nonce();
        c.writeFully(ByteBuffer.wrap(challenge));
        byte[] answer = c.readFully(HMAC_BYTES);
        if (!MessageDigest.isEqual(answer, hmac(authkey, 'C', challenge))) {
            throw new IOException("a connection to the control socket failed authentication");
        }
        byte[] theirs = c.readFully(NONCE_BYTES);
        c.writeFully(ByteBuffer.wrap(hmac(authkey, 'P', theirs)));
        return c;
    }

    /** Child side: connects and authenticates, both ways. */
    static Channel connect(Path path, byte[] authkey) throws IOException {
        SocketChannel socket = SocketChannel.open(UnixDomainSocketAddress.of(path));
        Channel c = new Channel(socket);
        byte[] challenge = c.readFully(NONCE_BYTES);
        c.writeFully(ByteBuffer.wrap(hmac(authkey, 'C', challenge)));
        byte[] mine = nonce();
        c.writeFully(ByteBuffer.wrap(mine));
        if (!MessageDigest.isEqual(c.readFully(HMAC_BYTES), hmac(authkey, 'P', mine))) {
            socket.close();
            throw new IOException("the parent's control socket failed authentication");
        }
        return c;
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

    private static byte[] nonce() {
        byte[] n = new byte[NONCE_BYTES];
        RANDOM.nextBytes(n);
        return n;
    }

    /**
     * HMAC-SHA256 (RFC 2104) of {@code role} then {@code message}, built on {@code MessageDigest}:
     * the same bytes as {@code javax.crypto.Mac} "HmacSHA256" (ChannelTest checks it), without
     * what {@code Mac} costs a fresh child JVM for the two MACs of its handshake: the JCE's set-up
     * (every provider up to SunJCE instantiated, the crypto policy files parsed).
     */
    static byte[] hmac(byte[] key, char role, byte[] message) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        byte[] k = key.length > SHA256_BLOCK ? sha.digest(key) : key;
        byte[] pad = new byte[SHA256_BLOCK];
        for (int i = 0; i < SHA256_BLOCK; i++) {
            pad[i] = (byte) ((i < k.length ? k[i] : 0) ^ 0x36);
        }
        sha.update(pad);
        sha.update((byte) role);
        sha.update(message);
        byte[] inner = sha.digest();
        for (int i = 0; i < SHA256_BLOCK; i++) {
            pad[i] = (byte) ((i < k.length ? k[i] : 0) ^ 0x5c);
        }
        sha.update(pad);
        sha.update(inner);
        return sha.digest();
    }
}
