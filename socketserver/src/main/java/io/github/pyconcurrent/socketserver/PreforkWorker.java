package io.github.pyconcurrent.socketserver;

import io.github.pyconcurrent.multiprocessing.SerializableRunnable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a preforking server's worker JVM runs (see {@link PreforkDispatch}): load the handler
 * class, connect to the server's hand-over socket and say which worker it is (its token), then
 * take connections off that socket, each a descriptor in an {@code SCM_RIGHTS} message, and serve
 * each on a virtual thread of its own with a new handler, until the server closes its end (this
 * worker retires: it serves its connections to their end, then exits).
 *
 * <p>Each message is {@value #MESSAGE_BYTES} bytes, the descriptor riding on its first byte:
 * {@code [0]} the socket's family (4 INET, 6 INET6, 1 UNIX), {@code [1]} the length L of the
 * client's address, {@code [2..3]} its port (big-endian), {@code [4..4+L)} its address bytes (an
 * IP address, or a Unix path in UTF-8). Plain bytes: nothing is deserialized.
 */
record PreforkWorker(String handlerClass, String handoffPath, long token, SocketAddress serverAddress)
        implements SerializableRunnable {
    /** A hand-over message's length: room for the longest Unix path (108 bytes) after the 4-byte header. */
    static final int MESSAGE_BYTES = 128;
    private static final byte INET = 4;
    private static final byte INET6 = 6;
    private static final byte UNIX = 1;

    @Override
    public void run() throws Exception {
        @SuppressWarnings("unchecked")
        Class<? extends BaseRequestHandler<?>> handler = (Class<? extends BaseRequestHandler<?>>) Class.forName(
                handlerClass, true, Thread.currentThread().getContextClassLoader());
        ForkedRequest.ChildServer standIn = new ForkedRequest.ChildServer(handler, serverAddress, true);
        Set<Thread> serving = ConcurrentHashMap.newKeySet();
        try (SocketChannel control = SocketChannel.open(UnixDomainSocketAddress.of(handoffPath))) {
            control.write(ByteBuffer.allocate(Long.BYTES).putLong(0, token));
            int controlFd = Fds.of(control);
            byte[] message = new byte[MESSAGE_BYTES];
            int fd;
            while ((fd = Libc.receiveFd(controlFd, message)) >= 0) {
                serve(fd, message, standIn, serving);
            }
        }
        // Retired (maxRequestsPerChild, or the server closes): the connections it has are served to their end.
        List<Thread> left;
        while (!(left = List.copyOf(serving)).isEmpty()) {
            for (Thread t : left) {
                t.join();
            }
        }
    }

    private static void serve(int fd, byte[] message, BaseServer standIn, Set<Thread> serving) {
        SocketAddress client;
        ChannelStreamSocket request;
        try {
            client = clientAddress(message);
            request = new ChannelStreamSocket(Fds.adopt(fd, family(message), client));
        } catch (IOException | RuntimeException e) {
            Libc.closeQuietly(fd);
            standIn.handleError(null, null, e);
            return;
        }
        // The thread's body itself, not a lambda calling it: one frame fewer under a waiting handler.
        Thread t = Thread.ofVirtual().name("socketserver-request").unstarted(new ServedRequest(standIn, request, client) {
            @Override
            void done() {
                serving.remove(Thread.currentThread());
            }
        });
        serving.add(t);
        t.start();
    }

    /** The message that goes with a connection of a socket of {@code family} from {@code client}. */
    static byte[] message(ProtocolFamily family, SocketAddress client) {
        byte[] m = new byte[MESSAGE_BYTES];
        m[0] = family == StandardProtocolFamily.UNIX ? UNIX : family == StandardProtocolFamily.INET6 ? INET6 : INET;
        byte[] address = new byte[0];
        int port = 0;
        if (client instanceof InetSocketAddress inet) {
            address = inet.getAddress().getAddress();
            port = inet.getPort();
        } else if (client instanceof UnixDomainSocketAddress unix) {
            address = unix.getPath().toString().getBytes(StandardCharsets.UTF_8);
        }
        if (address.length > MESSAGE_BYTES - 4) {
            throw new IllegalArgumentException("client address too long for a hand-over message: " + client);
        }
        m[1] = (byte) address.length;
        m[2] = (byte) (port >>> 8);
        m[3] = (byte) port;
        System.arraycopy(address, 0, m, 4, address.length);
        return m;
    }

    static ProtocolFamily family(byte[] m) {
        return switch (m[0]) {
            case UNIX -> StandardProtocolFamily.UNIX;
            case INET6 -> StandardProtocolFamily.INET6;
            case INET -> StandardProtocolFamily.INET;
            default -> throw new IllegalArgumentException("unknown socket family " + m[0] + " in a hand-over message");
        };
    }

    static SocketAddress clientAddress(byte[] m) throws IOException {
        int length = m[1] & 0xff;
        byte[] address = java.util.Arrays.copyOfRange(m, 4, 4 + length);
        if (m[0] == UNIX) {
            return UnixDomainSocketAddress.of(new String(address, StandardCharsets.UTF_8));
        }
        return new InetSocketAddress(InetAddress.getByAddress(address), ((m[2] & 0xff) << 8) | (m[3] & 0xff));
    }
}
