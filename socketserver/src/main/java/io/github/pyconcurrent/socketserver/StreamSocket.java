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

    /** Receives up to {@code bufsize} bytes, waiting for at least one; empty at end of stream. */
    public abstract byte[] recv(int bufsize);

    /** Sends some of {@code data}; returns how many bytes were sent. */
    public abstract int send(byte[] data);

    /** Sends all of {@code data}. */
    public abstract void sendall(byte[] data);

    /** The timeout of later receives; null waits forever (Python's {@code None}). */
    public abstract void settimeout(Duration timeout);

    /** The timeout set by {@link #settimeout}, or null. */
    public abstract Duration gettimeout();

    /** The peer's address. */
    public abstract SocketAddress getpeername();

    /** This end's address. */
    public abstract SocketAddress getsockname();

    /** Sets a socket option (Python's {@code setsockopt}), e.g. {@code StandardSocketOptions.TCP_NODELAY}. */
    public abstract <T> void setsockopt(SocketOption<T> option, T value);

    /** Closes the sending side: the peer reads end of stream (Python's {@code shutdown(SHUT_WR)}). */
    public abstract void shutdownOutput();

    /** Closes the socket; idempotent. */
    @Override
    public abstract void close();

    /** The bytes of this socket as a stream; closing it does not close the socket. */
    abstract InputStream inputStream();
}
