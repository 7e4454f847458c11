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
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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
    private static final int HEADER = 4 + 1 + 8;
    /** A frame larger than this is refused before its payload is read (a corrupt length). */
    private static final int MAX_FRAME = Integer.MAX_VALUE - 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SocketChannel socket;
    private final ByteBuffer readHeader = ByteBuffer.allocate(HEADER);
    private final ByteBuffer writeHeader = ByteBuffer.allocate(HEADER);

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
        byte[] answer = c.readFully(32);
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
        if (!MessageDigest.isEqual(c.readFully(32), hmac(authkey, 'P', mine))) {
            socket.close();
            throw new IOException("the parent's control socket failed authentication");
        }
        return c;
    }

    /** Sends one frame; {@link UncheckedIOException} if the other side is gone. */
    void send(byte type, long id, byte[] payload) {
        synchronized (writeHeader) {
            writeHeader.clear();
            writeHeader.putInt(payload.length + 9).put(type).putLong(id).flip();
            ByteBuffer body = ByteBuffer.wrap(payload);
            try {
                while (writeHeader.hasRemaining() || body.hasRemaining()) {
                    socket.write(new ByteBuffer[] {writeHeader, body});
                }
            } catch (IOException e) {
                throw new UncheckedIOException("the other process's control connection is closed", e);
            }
        }
    }

    void send(byte type, long id) {
        send(type, id, EMPTY);
    }

    private static final byte[] EMPTY = new byte[0];

    /** The next frame, or null at end of stream (the other process closed it or died). One reader only. */
    Frame receive() throws IOException {
        readHeader.clear();
        if (!fill(readHeader)) {
            return null;
        }
        readHeader.flip();
        int length = readHeader.getInt();
        if (length < 9 || length > MAX_FRAME) {
            throw new IOException("corrupt frame length " + length);
        }
        byte type = readHeader.get();
        long id = readHeader.getLong();
        byte[] payload = length == 9 ? EMPTY : readFully(length - 9);
        return new Frame(type, id, payload);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket whose peer is gone: nothing to do
        }
    }

    /** Reads until {@code buf} is full; false on a clean end of stream before the first byte. */
    private boolean fill(ByteBuffer buf) throws IOException {
        boolean first = true;
        while (buf.hasRemaining()) {
            if (socket.read(buf) < 0) {
                if (first && buf.position() == 0) {
                    return false;
                }
                throw new EOFException("the control connection ended inside a frame");
            }
            first = false;
        }
        return true;
    }

    private byte[] readFully(int n) throws IOException {
        byte[] bytes = new byte[n];
        if (!fill(ByteBuffer.wrap(bytes)) && n > 0) {
            throw new EOFException("the control connection ended");
        }
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

    private static byte[] hmac(byte[] key, char role, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((byte) role);
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
