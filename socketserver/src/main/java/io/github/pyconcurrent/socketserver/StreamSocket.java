package io.github.pyconcurrent.socketserver;

import java.io.Closeable;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.time.Duration;

/**
 * The connected socket a stream server hands its handler as {@code request}: Python's
 * {@code socket} object, with its method names. Under {@link GreenletTCPServer} the same type is
 * cooperative: a call that would block switches to the hub instead.
 *
 * <pre>{@code
 * byte[] data = request.recv(1024);     // empty at end of stream
 * request.sendall(data);
 * }</pre>
 *
 * <p>I/O failures surface as {@link UncheckedIOException}; a {@link #settimeout timeout} as one
 * whose cause is a {@link java.net.SocketTimeoutException} (Python's {@code socket.timeout}).
 * Difference from Python: on a blocking socket the timeout bounds receiving only; a send blocks
 * until the peer takes the data or the connection fails.
 */
public abstract class StreamSocket implements Closeable {

    StreamSocket() {}

    /**
     * Receives up to {@code bufsize} bytes, waiting for at least one; empty at end of stream.
     *
     * @param bufsize the most bytes to return
     * @return between 1 and {@code bufsize} bytes; an empty array once the peer has closed its side
     *     (Python's {@code b''})
     * @throws java.io.UncheckedIOException if reading fails, or with a
     *     {@link java.net.SocketTimeoutException} cause if nothing came within the
     *     {@link #settimeout timeout}
     */
    public abstract byte[] recv(int bufsize);

    /**
     * Sends some of {@code data}; returns how many bytes were sent.
     *
     * @param data the bytes to send
     * @return how many of them were sent, at least one unless {@code data} is empty
     * @throws java.io.UncheckedIOException if writing fails (e.g. the peer reset the connection)
     */
    public abstract int send(byte[] data);

    /**
     * Sends all of {@code data}.
     *
     * @param data the bytes to send, all of them, in order
     * @throws java.io.UncheckedIOException if writing fails (e.g. the peer reset the connection);
     *     part of {@code data} may have been sent
     */
    public abstract void sendall(byte[] data);

    /**
     * The timeout of later receives; null waits forever (Python's {@code None}).
     *
     * @param timeout how long a later receive may wait before it fails with a timeout; null waits
     *     forever
     */
    public abstract void settimeout(Duration timeout);

    /**
     * The timeout set by {@link #settimeout}, or null.
     *
     * @return the timeout of receives, or null (the default) if they wait forever
     */
    public abstract Duration gettimeout();

    /**
     * The peer's address.
     *
     * @return the address of the connected peer (for a Unix socket, an unnamed path unless the peer
     *     bound one)
     */
    public abstract SocketAddress getpeername();

    /**
     * This end's address.
     *
     * @return the local address of this connection
     */
    public abstract SocketAddress getsockname();

    /**
     * Sets a socket option (Python's {@code setsockopt}), e.g.
     * {@code StandardSocketOptions.TCP_NODELAY}.
     *
     * @param <T> the option's value type
     * @param option the option to set, e.g. {@code StandardSocketOptions.SO_SNDBUF}
     * @param value its new value
     * @throws UnsupportedOperationException if the socket does not support {@code option}
     * @throws java.io.UncheckedIOException if the operating system refuses the value
     */
    public abstract <T> void setsockopt(SocketOption<T> option, T value);

    /** Closes the sending side: the peer reads end of stream (Python's {@code shutdown(SHUT_WR)}). */
    public abstract void shutdownOutput();

    /** Closes the socket; idempotent. */
    @Override
    public abstract void close();

    /** The bytes of this socket as a stream; closing it does not close the socket. */
    abstract InputStream inputStream();
}
