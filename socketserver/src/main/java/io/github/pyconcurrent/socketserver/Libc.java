package io.github.pyconcurrent.socketserver;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.github.pyconcurrent.shared.internal.CLibrary;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The libc calls the JDK does not offer, through JNA's direct mapping: Unix datagram sockets
 * (the JDK has Unix stream channels only), poll with a wake-up pipe for them, and passing a file
 * descriptor to another process with {@code SCM_RIGHTS}. Linux, 64-bit (x86_64, aarch64): the
 * struct layouts below are those of the LP64 Linux ABI.
 */
final class Libc {
    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final short POLLIN = 0x1;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    /** {@code sizeof(struct sockaddr_un)}: a 2-byte family, then 108 bytes of path. */
    static final int SOCKADDR_UN_SIZE = 110;

    static {
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            throw new UnsupportedOperationException("Unix datagram sockets and descriptor passing need 64-bit Linux");
        }
        Native.register(Libc.class, CLibrary.get());
    }

    private Libc() {}

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int bind(int fd, byte[] address, int length) throws LastErrorException;

    static native int getsockname(int fd, byte[] address, int[] length) throws LastErrorException;

    static native long recvfrom(int fd, byte[] buf, long length, int flags, byte[] address, int[] addressLength)
            throws LastErrorException;

    static native long sendto(int fd, byte[] buf, long length, int flags, byte[] address, int addressLength)
            throws LastErrorException;

    /** {@code fds}: pairs of ints, {@code struct pollfd} on a little-endian LP64 machine ({@code fd, events | revents << 16}). */
    static native int poll(int[] fds, long count, int timeoutMillis) throws LastErrorException;

    static native int pipe2(int[] fds, int flags) throws LastErrorException;

    static native long read(int fd, byte[] buf, long count) throws LastErrorException;

    static native long write(int fd, byte[] buf, long count) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int dup2(int fd, int to) throws LastErrorException;

    private static native long sendmsg(int fd, Pointer message, int flags) throws LastErrorException;

    private static native long recvmsg(int fd, Pointer message, int flags) throws LastErrorException;

    /** Closes {@code fd}, ignoring errors (a descriptor closed on a failure path). */
    static void closeQuietly(int fd) {
        try {
            close(fd);
        } catch (LastErrorException e) {
            // nothing more to do
        }
    }

    static IOException io(String what, LastErrorException e) {
        return new IOException(what + ": " + e.getMessage(), e);
    }

    // ------------------------------------------------------------------ struct sockaddr_un

    static byte[] sockaddr(UnixDomainSocketAddress address) {
        byte[] path = address.getPath().toString().getBytes(StandardCharsets.UTF_8);
        if (path.length >= SOCKADDR_UN_SIZE - 2) {
            throw new IllegalArgumentException("Unix socket path too long (" + path.length + " bytes): " + address);
        }
        byte[] sa = new byte[SOCKADDR_UN_SIZE];
        sa[0] = (byte) AF_UNIX; // sa_family_t, little-endian
        System.arraycopy(path, 0, sa, 2, path.length);
        return sa;
    }

    static int sockaddrLength(byte[] sockaddr) {
        int n = 2;
        while (n < sockaddr.length && sockaddr[n] != 0) {
            n++;
        }
        return n + 1;
    }

    /** The address in {@code sockaddr[0, length)}; an unbound peer's is the empty path. */
    static UnixDomainSocketAddress unixAddress(byte[] sockaddr, int length) {
        int end = 2;
        while (end < length && end < sockaddr.length && sockaddr[end] != 0) {
            end++;
        }
        return UnixDomainSocketAddress.of(new String(sockaddr, 2, Math.max(0, end - 2), StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ SCM_RIGHTS

    /*
     * struct msghdr (56 bytes): msg_name @0, msg_namelen @8, msg_iov @16, msg_iovlen @24,
     * msg_control @32, msg_controllen @40, msg_flags @48.
     * struct iovec (16 bytes): iov_base @0, iov_len @8.
     * struct cmsghdr: cmsg_len @0 (8 bytes), cmsg_level @8, cmsg_type @12, data @16;
     * CMSG_LEN(sizeof(int)) = 20, CMSG_SPACE(sizeof(int)) = 24.
     */
    private static final int MSGHDR = 56;
    private static final int CMSG_LEN_INT = 20;
    private static final int CMSG_SPACE_INT = 24;

    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_NOSIGNAL = 0x4000;

    /** Sends {@code fdToPass} and one byte {@code tag} over the connected Unix socket {@code socketFd}. */
    static void sendFd(int socketFd, int fdToPass, byte tag) throws IOException {
        if (sendFd(socketFd, fdToPass, new byte[] {tag}, MSG_NOSIGNAL) != 1) {
            throw new IOException("sendmsg sent nothing");
        }
    }

    /**
     * Sends {@code fdToPass} with the bytes {@code data} (the descriptor travels with their first
     * byte) over the connected Unix socket {@code socketFd}; {@code flags} as sendmsg's
     * ({@link #MSG_DONTWAIT}, {@link #MSG_NOSIGNAL}). Returns the bytes sent, or -1 when
     * {@code MSG_DONTWAIT} found the socket's buffer full (nothing sent, the descriptor neither).
     */
    static long sendFd(int socketFd, int fdToPass, byte[] data, int flags) throws IOException {
        try (Memory msg = new Memory(MSGHDR); Memory iov = new Memory(16); Memory bytes = new Memory(data.length);
                Memory control = new Memory(CMSG_SPACE_INT)) {
            msg.clear();
            control.clear();
            bytes.write(0, data, 0, data.length);
            iov.setPointer(0, bytes);
            iov.setLong(8, data.length);
            control.setLong(0, CMSG_LEN_INT);
            control.setInt(8, SOL_SOCKET);
            control.setInt(12, SCM_RIGHTS);
            control.setInt(16, fdToPass);
            msg.setPointer(16, iov);
            msg.setLong(24, 1);
            msg.setPointer(32, control);
            msg.setLong(40, CMSG_SPACE_INT);
            while (true) {
                try {
                    return sendmsg(socketFd, msg, flags);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == EAGAIN && (flags & MSG_DONTWAIT) != 0) {
                        return -1;
                    }
                    if (e.getErrorCode() != EINTR) {
                        throw io("sendmsg", e);
                    }
                }
            }
        }
    }

    /** Receives a descriptor sent by {@link #sendFd(int, int, byte)} (the new descriptor is close-on-exec). */
    static int receiveFd(int socketFd) throws IOException {
        int fd = receiveFd(socketFd, new byte[1]);
        if (fd < 0) {
            throw new IOException("no descriptor arrived (end of stream)");
        }
        return fd;
    }

    /**
     * Receives a descriptor sent by {@link #sendFd(int, int, byte[], int)} with exactly
     * {@code data.length} bytes, which fill {@code data} (the new descriptor is close-on-exec).
     * Returns -1 at end of stream before a message; blocks if the socket does.
     */
    static int receiveFd(int socketFd, byte[] data) throws IOException {
        final int msgCmsgCloexec = 0x40000000;
        try (Memory msg = new Memory(MSGHDR); Memory iov = new Memory(16); Memory bytes = new Memory(data.length);
                Memory control = new Memory(CMSG_SPACE_INT)) {
            msg.clear();
            control.clear();
            iov.setPointer(0, bytes);
            iov.setLong(8, data.length);
            msg.setPointer(16, iov);
            msg.setLong(24, 1);
            msg.setPointer(32, control);
            msg.setLong(40, CMSG_SPACE_INT);
            long n;
            while (true) {
                try {
                    n = recvmsg(socketFd, msg, msgCmsgCloexec);
                    break;
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != EINTR) {
                        throw io("recvmsg", e);
                    }
                }
            }
            if (n == 0) {
                return -1;
            }
            if (msg.getLong(40) < CMSG_LEN_INT || control.getInt(8) != SOL_SOCKET || control.getInt(12) != SCM_RIGHTS) {
                throw new IOException("no descriptor arrived (recvmsg returned " + n + " bytes without one)");
            }
            int fd = control.getInt(16);
            bytes.read(0, data, 0, (int) n);
            // A stream socket may split a message: the rest follows without a descriptor.
            int got = (int) n;
            while (got < data.length) {
                byte[] rest = new byte[data.length - got];
                long m;
                try {
                    m = read(socketFd, rest, rest.length);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == EINTR) {
                        continue;
                    }
                    closeQuietly(fd);
                    throw io("read", e);
                }
                if (m <= 0) {
                    closeQuietly(fd);
                    throw new IOException("the stream ended inside a descriptor's message");
                }
                System.arraycopy(rest, 0, data, got, (int) m);
                got += (int) m;
            }
            return fd;
        }
    }
}
