package io.github.pyconcurrent.benchmarks.socketserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Many connections held open and idle, each served once (so the server holds, for each, whatever
 * waits for a client's next line: a thread, a greenlet, a channel): the load rows' memory per
 * idle connection is the server's resident set with them minus without, divided by their number.
 * Closing closes them all.
 *
 * <pre>{@code
 * try (IdleConnections idle = IdleConnections.open(address, 10_000, Duration.ofMinutes(1))) { ... }
 * }</pre>
 */
public final class IdleConnections implements AutoCloseable {
    private final List<SocketChannel> channels;

    private IdleConnections(List<SocketChannel> channels) {
        this.channels = channels;
    }

    /**
     * Opens {@code count} connections one at a time, each with one request ({@link LoadClient#openServed}).
     *
     * @throws IOException one failed, or opening them all took longer than {@code limit} (those opened are closed)
     */
    public static IdleConnections open(InetSocketAddress server, int count, Duration limit) throws IOException {
        List<SocketChannel> channels = new ArrayList<>(count);
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            for (int i = 0; i < count; i++) {
                channels.add(LoadClient.openServed(server));
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("opened only " + channels.size() + " of " + count + " connections in " + limit);
                }
            }
            return new IdleConnections(channels);
        } catch (IOException | RuntimeException e) {
            LoadClient.closeAll(channels);
            throw e;
        }
    }

    public int size() {
        return channels.size();
    }

    @Override
    public void close() {
        LoadClient.closeAll(channels);
    }
}
