package io.github.pyconcurrent.benchmarks.socketserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A burst of connections: {@code n} non-blocking connects started at once, each sending one
 * {@link LoadClient#LINE} as soon as it is connected; the time until every echo is back (the
 * load rows' "open 10,000 connections"). A listen backlog smaller than the burst shows here as
 * seconds of SYN retries.
 *
 * <pre>{@code
 * double nanos = ConnectBurst.nanosToOpen(address, 10_000, Duration.ofMinutes(2));
 * }</pre>
 */
public final class ConnectBurst {
    private ConnectBurst() {}

    /**
     * Opens {@code n} connections at once and returns the nanoseconds until all were served once;
     * closes them all.
     *
     * @throws IOException a connection failed, or not all were served within {@code limit}
     */
    public static double nanosToOpen(InetSocketAddress server, int n, Duration limit) throws IOException {
        List<SocketChannel> channels = new ArrayList<>(n);
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        int served = 0;
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < n; i++) {
                SocketChannel c = SocketChannel.open();
                channels.add(c);
                c.configureBlocking(false);
                if (c.connect(server)) {
                    send(c);
                    c.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(LoadClient.LINE.length));
                } else {
                    c.register(selector, SelectionKey.OP_CONNECT, ByteBuffer.allocate(LoadClient.LINE.length));
                }
            }
            while (served < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("only " + served + " of " + n + " connections served within " + limit);
                }
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel c = (SocketChannel) key.channel();
                    if (key.isConnectable()) {
                        c.finishConnect();
                        send(c);
                        key.interestOps(SelectionKey.OP_READ);
                    } else if (key.isReadable()) {
                        ByteBuffer reply = (ByteBuffer) key.attachment();
                        if (c.read(reply) < 0) {
                            throw new IOException("the server closed a connection before its echo");
                        }
                        if (!reply.hasRemaining()) {
                            key.cancel();
                            served++;
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
            return System.nanoTime() - start;
        } finally {
            LoadClient.closeAll(channels);
        }
    }

    private static void send(SocketChannel c) throws IOException {
        if (c.write(ByteBuffer.wrap(LoadClient.LINE)) != LoadClient.LINE.length) {
            throw new IOException("a 16-byte request was not written whole");
        }
    }
}
