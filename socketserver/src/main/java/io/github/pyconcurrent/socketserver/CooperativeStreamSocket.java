package io.github.pyconcurrent.socketserver;

import io.github.pyconcurrent.gevent.CooperativeSocket;
import java.io.InputStream;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.time.Duration;

/** The {@link StreamSocket} of {@link GreenletTCPServer}: a gevent {@link CooperativeSocket}. */
final class CooperativeStreamSocket extends StreamSocket {
    private final CooperativeSocket socket;

    CooperativeStreamSocket(CooperativeSocket socket) {
        this.socket = socket;
    }

    @Override
    public byte[] recv(int bufsize) {
        return socket.recv(bufsize);
    }

    @Override
    public int send(byte[] data) {
        return socket.send(data);
    }

    @Override
    public void sendall(byte[] data) {
        socket.sendall(data);
    }

    @Override
    public void settimeout(Duration timeout) {
        socket.settimeout(timeout);
    }

    @Override
    public Duration gettimeout() {
        return socket.gettimeout();
    }

    @Override
    public SocketAddress getpeername() {
        return socket.getpeername();
    }

    @Override
    public SocketAddress getsockname() {
        return socket.getsockname();
    }

    @Override
    public <T> void setsockopt(SocketOption<T> option, T value) {
        socket.setsockopt(option, value);
    }

    @Override
    public void shutdownOutput() {
        socket.shutdownOutput();
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    InputStream inputStream() {
        return new Input();
    }

    /** The socket's bytes; {@link LineReader} takes them as the arrays {@code recv} returns (no buffer held while waiting). */
    private final class Input extends InputStream implements LineReader.Chunks {
        @Override
        public byte[] readChunk(int max) {
            return socket.recv(max);
        }

        @Override
        public int read() {
            byte[] one = socket.recv(1);
            return one.length == 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            byte[] got = socket.recv(len);
            if (got.length == 0) {
                return -1;
            }
            System.arraycopy(got, 0, b, off, got.length);
            return got.length;
        }
    }

    @Override
    public String toString() {
        return "StreamSocket[cooperative " + socket + "]";
    }
}
