package io.github.pyconcurrent.benchmarks.socketserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * Connect + one request + close, one connection at a time, timed per connection: what a server
 * costs a client that does not keep its connection (for {@code ForkingTCPServer}, a child per
 * connection, the only way it is used). The p50 of {@code samples} connections after
 * {@code warmup} unmeasured ones; few enough that the client's ports in TIME_WAIT (a minute after
 * each close) never run out.
 *
 * <pre>{@code
 * double p50 = ConnectRequestClose.p50(address, 50, 300, Duration.ofSeconds(10));
 * }</pre>
 */
public final class ConnectRequestClose {
    private ConnectRequestClose() {}

    /**
     * The median time of connect, one 16-byte request echoed, close, in nanoseconds; over the
     * samples taken within {@code limit} when not all fit (a server forking a process per
     * connection may be slow), NaN when none did.
     */
    public static double p50(InetSocketAddress server, int warmup, int samples, Duration limit) throws IOException {
        Latencies times = new Latencies(samples);
        long deadline = System.nanoTime() + limit.toNanos();
        for (int i = 0; i < warmup + samples && System.nanoTime() - deadline < 0; i++) {
            long t0 = System.nanoTime();
            try (SocketChannel ch = LoadClient.openServed(server)) {
                // openServed made the request
            }
            if (i >= warmup) {
                times.record(System.nanoTime() - t0);
            }
        }
        return times.percentile(50);
    }
}
