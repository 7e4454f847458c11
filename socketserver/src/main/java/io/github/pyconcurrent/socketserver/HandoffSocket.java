package io.github.pyconcurrent.socketserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;

/**
 * A server's end of the hand-over to its child JVMs ({@link ForkDispatch}, {@link PreforkDispatch}):
 * a listening Unix socket in a fresh directory of mode 0700 (only this user can connect), with a
 * selector the dispatcher thread waits on. A child proves which one it is by sending the random
 * token its target carried, which reached it over primitives-process's authenticated control
 * connection; a connection with any other token is dropped.
 */
final class HandoffSocket {
    final Path dir;
    final Path path;
    final ServerSocketChannel server;
    final Selector selector;

    /** {@code what} names the directory ({@code pyconc-PID-TICKS-what-RANDOM}) and the socket in it. */
    HandoffSocket(String what) throws IOException {
        // Named like multiprocessing's control directories (owner pid and start time), so the
        // directory of a server that was killed is swept by the next JVM that starts children.
        dir = Files.createTempDirectory("pyconc-" + io.github.pyconcurrent.shared.internal.ProcessIdentity.PID + "-"
                        + io.github.pyconcurrent.shared.internal.ProcessIdentity.START_TICKS + "-" + what + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        path = dir.resolve(what);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        server.configureBlocking(false);
        selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** Accepts every child waiting to connect; each connection is then read for its token ({@link #readToken}). */
    void acceptChildren() throws IOException {
        SocketChannel c;
        while ((c = server.accept()) != null) {
            c.configureBlocking(false);
            c.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(Long.BYTES));
        }
    }

    /**
     * Reads what has come of a child's token on a connection {@link #acceptChildren} registered.
     * Empty while the rest is on its way (the connection is kept), and when the child broke off
     * before sending all of it (end of stream, a read error: the connection is closed here; the
     * dispatcher learns of the child's death from its process).
     */
    static OptionalLong readToken(SelectionKey key) {
        SocketChannel c = (SocketChannel) key.channel();
        ByteBuffer got = (ByteBuffer) key.attachment();
        try {
            if (c.read(got) >= 0 && got.hasRemaining()) {
                return OptionalLong.empty(); // the rest is on its way
            }
        } catch (IOException e) {
            // broken: dropped below
        }
        if (got.hasRemaining()) {
            key.cancel();
            closeQuietly(c);
            return OptionalLong.empty();
        }
        return OptionalLong.of(got.getLong(0));
    }

    static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing a hand-over connection: nothing left to do
        }
    }

    /** Closes every channel registered with the selector, the selector, the socket, and removes the directory. */
    void close() {
        try {
            for (SelectionKey k : selector.keys()) {
                k.channel().close();
            }
            selector.close();
            server.close();
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
