package io.github.pyconcurrent.socketserver;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A server's own socket: stream (a JDK {@link ServerSocketChannel}, TCP or Unix), datagram over
 * IP (a JDK {@link DatagramChannel}) or Unix datagram (libc through JNA: the JDK has no Unix
 * datagram channel). What {@link TCPServer} and {@link UDPServer} need of it, in one place.
 */
abstract class Listener {
    /** Python's {@code UDPServer.max_packet_size}. */
    static final int MAX_PACKET_SIZE = 8192;

    /**
     * The kernel's cap on a listen backlog ({@code /proc/sys/net/core/somaxconn}), the backlog
     * Netty listens with; 4096 (Linux's default since 5.4) where it cannot be read; the kernel
     * lowers a larger request to its cap anyway.
     */
    static final int SOMAXCONN = somaxconn(Path.of("/proc/sys/net/core/somaxconn"));

    static int somaxconn(Path file) {
        // A reader, not Files.readString: that sizes its read by the file's size, which /proc
        // reports as 0, and returned "4" for "4096" (JDK 25).
        try (java.io.BufferedReader in = Files.newBufferedReader(file)) {
            String line = in.readLine();
            int n = line == null ? 0 : Integer.parseInt(line.trim());
            return n > 0 ? n : 4096;
        } catch (IOException | NumberFormatException | SecurityException e) {
            return 4096;
        }
    }

    static Listener open(SocketAddress address, boolean datagram) {
        try {
            if (address instanceof UnixDomainSocketAddress) {
                return datagram ? new UnixDatagram() : new Stream(ServerSocketChannel.open(StandardProtocolFamily.UNIX));
            }
            if (address instanceof InetSocketAddress inet) {
                StandardProtocolFamily family = inet.getAddress() instanceof java.net.Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
                // UDP: the JDK's default (dual-stack) family, as a forking server's child sees the
                // socket as System.inheritedChannel(), which assumes it (an INET socket there
                // fails to send: "Address family not supported").
                return datagram ? new Datagram(DatagramChannel.open()) : new Stream(ServerSocketChannel.open(family));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("unsupported address type: " + address);
    }

    abstract void bind(SocketAddress address, int backlog, boolean reuseAddress) throws IOException;

    abstract SocketAddress localAddress();

    abstract Readiness newReadiness() throws IOException;

    /** The descriptor, for handing the socket to a child JVM. */
    abstract int fd();

    abstract void close();

    /** A bound Unix socket's file: removed by {@link #close()}. */
    Path boundPath;

    void removeFile() {
        if (boundPath != null) {
            try {
                Files.deleteIfExists(boundPath);
            } catch (IOException e) {
                // best effort
            }
        }
    }

    static final class Stream extends Listener {
        final ServerSocketChannel channel;

        Stream(ServerSocketChannel channel) {
            this.channel = channel;
        }

        @Override
        void bind(SocketAddress address, int backlog, boolean reuseAddress) throws IOException {
            if (!(address instanceof UnixDomainSocketAddress)) {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
            }
            channel.bind(address, backlog);
            if (address instanceof UnixDomainSocketAddress u) {
                boundPath = u.getPath();
            }
        }

        @Override
        SocketAddress localAddress() {
            try {
                return channel.getLocalAddress();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The next connection, or null when none is waiting. */
        SocketChannel accept() throws IOException {
            return channel.accept();
        }

        @Override
        Readiness newReadiness() throws IOException {
            return Readiness.of(channel, SelectionKey.OP_ACCEPT);
        }

        @Override
        int fd() {
            return Fds.of(channel);
        }

        @Override
        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // closing
            }
            removeFile();
        }
    }

    /** A UDP socket; also the {@link DatagramEndpoint} handlers reply through. */
    static final class Datagram extends Listener implements DatagramEndpoint {
        final DatagramChannel channel;

        Datagram(DatagramChannel channel) {
            this.channel = channel;
        }

        @Override
        void bind(SocketAddress address, int backlog, boolean reuseAddress) throws IOException {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
            channel.bind(address);
        }

        @Override
        SocketAddress localAddress() {
            try {
                return channel.getLocalAddress();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        BaseServer.Incoming receive() throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(MAX_PACKET_SIZE);
            SocketAddress from = channel.receive(buf);
            if (from == null) {
                return null;
            }
            return new BaseServer.Incoming(new DatagramRequest(Arrays.copyOf(buf.array(), buf.position()), this), from);
        }

        @Override
        public int sendto(byte[] data, SocketAddress address) {
            return sendVia(channel, data, address);
        }

        @Override
        public SocketAddress getsockname() {
            return localAddress();
        }

        @Override
        Readiness newReadiness() throws IOException {
            return Readiness.of(channel, SelectionKey.OP_READ);
        }

        @Override
        int fd() {
            return Fds.of(channel);
        }

        @Override
        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // closing
            }
        }

        @Override
        public String toString() {
            return "DatagramEndpoint[" + channel + "]";
        }
    }

    /**
     * Sends one datagram through a channel that may be non-blocking (the serving loop's): a
     * full send buffer is waited out rather than dropping the reply, asleep on a selector until
     * the channel is writable (opened only then: a full UDP send buffer is rare).
     */
    static int sendVia(DatagramChannel channel, byte[] data, SocketAddress address) {
        try {
            java.nio.channels.Selector writable = null;
            try {
                while (true) {
                    int n = channel.send(ByteBuffer.wrap(data), address);
                    if (n > 0 || data.length == 0) {
                        return n;
                    }
                    if (writable == null) {
                        writable = java.nio.channels.Selector.open();
                        channel.register(writable, java.nio.channels.SelectionKey.OP_WRITE); // a channel may have several selectors
                    }
                    writable.selectedKeys().clear();
                    writable.select();
                }
            } finally {
                if (writable != null) {
                    writable.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Unix datagram socket through libc. */
    static final class UnixDatagram extends Listener implements DatagramEndpoint {
        final int fd;
        private volatile boolean closed;

        UnixDatagram() {
            this(Libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0));
        }

        /** Adopts {@code fd} (a forking server's child). */
        UnixDatagram(int fd) {
            this.fd = fd;
        }

        @Override
        void bind(SocketAddress address, int backlog, boolean reuseAddress) throws IOException {
            UnixDomainSocketAddress u = (UnixDomainSocketAddress) address;
            byte[] sa = Libc.sockaddr(u);
            try {
                Libc.bind(fd, sa, Libc.sockaddrLength(sa));
            } catch (LastErrorException e) {
                throw Libc.io("bind " + u, e);
            }
            boundPath = u.getPath();
        }

        @Override
        SocketAddress localAddress() {
            byte[] sa = new byte[Libc.SOCKADDR_UN_SIZE];
            int[] len = {sa.length};
            Libc.getsockname(fd, sa, len);
            return Libc.unixAddress(sa, len[0]);
        }

        BaseServer.Incoming receive() throws IOException {
            byte[] buf = new byte[MAX_PACKET_SIZE];
            byte[] sa = new byte[Libc.SOCKADDR_UN_SIZE];
            int[] len = {sa.length};
            long n;
            try {
                n = Libc.recvfrom(fd, buf, buf.length, 0x40 /* MSG_DONTWAIT */, sa, len);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Libc.EAGAIN || e.getErrorCode() == Libc.EINTR) {
                    return null;
                }
                throw Libc.io("recvfrom", e);
            }
            return new BaseServer.Incoming(new DatagramRequest(Arrays.copyOf(buf, (int) n), this), Libc.unixAddress(sa, len[0]));
        }

        @Override
        public int sendto(byte[] data, SocketAddress address) {
            byte[] sa = Libc.sockaddr((UnixDomainSocketAddress) address);
            try {
                return (int) Libc.sendto(fd, data, data.length, 0, sa, Libc.sockaddrLength(sa));
            } catch (LastErrorException e) {
                throw new UncheckedIOException(Libc.io("sendto " + address, e));
            }
        }

        @Override
        public SocketAddress getsockname() {
            return localAddress();
        }

        @Override
        Readiness newReadiness() {
            return Readiness.ofFd(fd);
        }

        @Override
        int fd() {
            return fd;
        }

        @Override
        synchronized void close() {
            if (!closed) {
                closed = true;
                Libc.closeQuietly(fd);
                removeFile();
            }
        }

        @Override
        public String toString() {
            return "DatagramEndpoint[unix fd " + fd + "]";
        }
    }
}
