package io.github.pyconcurrent.socketserver;

import java.io.UncheckedIOException;
import java.net.SocketAddress;

/**
 * The server's own datagram socket, as a datagram handler sees it (the {@code socket} of
 * Python's {@code (data, socket)} request): replies go out from the address the client wrote to.
 * Safe to use from several handler threads at once. Failures are {@link UncheckedIOException}s.
 */
public interface DatagramEndpoint {

    /** Sends {@code data} as one datagram to {@code address}; returns the number of bytes sent. */
    int sendto(byte[] data, SocketAddress address);

    /** The socket's own address. */
    SocketAddress getsockname();
}
