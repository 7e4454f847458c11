package io.github.pyconcurrent.socketserver;

import io.github.pyconcurrent.multiprocessing.SerializableRunnable;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;

/**
 * What a forking server's child JVM runs: fetch the request's descriptor over the hand-over
 * socket, make the request of it, and serve it with a new handler, as Python's forked child runs
 * {@code finish_request} / {@code handle_error} / {@code shutdown_request}. See {@link ForkDispatch}.
 */
record ForkedRequest(String handlerClass, String handoffPath, long token, int kind, byte[] data,
        SocketAddress clientAddress, SocketAddress serverAddress) implements SerializableRunnable {
    static final int STREAM = 0;
    static final int DATAGRAM = 1;
    static final int UNIX_DATAGRAM = 2;

    @Override
    public void run() throws Exception {
        int fd;
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(handoffPath))) {
            c.write(ByteBuffer.allocate(Long.BYTES).putLong(0, token));
            fd = Libc.receiveFd(Fds.of(c));
        }
        Object request;
        switch (kind) {
            case STREAM -> request = new ChannelStreamSocket(inherit(fd, SocketChannel.class));
            case DATAGRAM -> request = new DatagramRequest(data, new Listener.Datagram(inherit(fd, DatagramChannel.class)));
            case UNIX_DATAGRAM -> request = new DatagramRequest(data, new Listener.UnixDatagram(fd));
            default -> throw new IllegalStateException("unknown request kind " + kind);
        }
        @SuppressWarnings("unchecked")
        Class<? extends BaseRequestHandler<?>> handler = (Class<? extends BaseRequestHandler<?>>) Class.forName(
                handlerClass, true, Thread.currentThread().getContextClassLoader());
        ChildServer standIn = new ChildServer(handler, serverAddress, kind == STREAM);
        Dispatch.serveToEnd(standIn, request, clientAddress);
    }

    /**
     * Makes {@code fd} this JVM's fd 0 and takes it as {@code System.inheritedChannel()}: the JDK
     * builds a channel around a socket it did not open only there (once per JVM: one request per
     * child). The child's fd 0 is /dev/null until now (ChildMain moves its lifeline pipe off it).
     */
    private static <C extends Channel> C inherit(int fd, Class<C> type) throws IOException {
        Libc.dup2(fd, 0);
        Libc.close(fd);
        Channel c = System.inheritedChannel();
        if (!type.isInstance(c)) {
            throw new IOException("fd 0 did not become a " + type.getSimpleName() + " (inheritedChannel gave " + c + ")");
        }
        return type.cast(c);
    }

    /**
     * The handler's {@code server} in a child: it knows the server's address and handler class,
     * and ends requests as the server's kind does.
     */
    static final class ChildServer extends BaseServer {
        private final SocketAddress address;
        private final boolean stream;

        ChildServer(Class<? extends BaseRequestHandler<?>> handler, SocketAddress address, boolean stream) {
            super(handler, Dispatch.sync());
            this.address = address;
            this.stream = stream;
        }

        @Override
        public SocketAddress serverAddress() {
            return address;
        }

        @Override
        public void shutdownRequest(Object request) {
            if (request instanceof StreamSocket s) {
                try {
                    s.shutdownOutput();
                } catch (RuntimeException e) {
                    // the client may have gone
                }
                try {
                    s.close();
                } catch (RuntimeException e) {
                    // already failing
                }
            }
        }

        @Override
        protected Incoming getRequest() {
            return null;
        }

        @Override
        Readiness newReadiness() {
            throw new IllegalStateException("a forking server's child serves one request only");
        }

        @Override
        void closeSocket() {}

        @Override
        public String toString() {
            return "ForkedChild[" + address + (stream ? ", stream" : ", datagram") + "]";
        }
    }
}
