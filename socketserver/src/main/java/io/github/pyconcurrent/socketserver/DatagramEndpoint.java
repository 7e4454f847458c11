package io.github.pyconcurrent.socketserver;

import java.io.UncheckedIOException;
import java.net.SocketAddress;

/**
 * The server's own datagram socket, as a datagram handler sees it (the {@code socket} of
 * Python's {@code (data, socket)} request): replies go out from the address the client wrote to.
 * Safe to use from several handler threads at once. Failures are {@link UncheckedIOException}s.
 */
public interface DatagramEndpoint {

    /**
     * Sends {@code data} as one datagram to {@code address}; returns the number of bytes sent.
     *
     * @param data the datagram's bytes, sent whole or not at all
     * @param address where to send it, usually the handler's {@code clientAddress}
     * @return the number of bytes sent: {@code data.length}
     * @throws java.io.UncheckedIOException if sending fails (e.g. the datagram is larger than the
     *     socket allows)
     */
    int sendto(byte[] data, SocketAddress address);

    /**
     * The socket's own address.
     *
     * @return the server socket's bound address
     */
    SocketAddress getsockname();
}
