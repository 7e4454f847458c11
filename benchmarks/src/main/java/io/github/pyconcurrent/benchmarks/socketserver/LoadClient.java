package io.github.pyconcurrent.benchmarks.socketserver;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The load generator of the socketserver rows: one selector thread drives {@code N} connections
 * to an echo server on loopback, each with exactly one 16-byte line in flight (a closed loop: the
 * next line goes out when the echo is back), through a warm-up and then a timed window, and
 * reports the window's requests per second, its latency percentiles and, given the server's pid,
 * the server's CPU time per request ({@link ProcStat}). One client for every server, JVM or
 * CPython, so that their figures compare within one run.
 *
 * <pre>{@code
 * LoadClient.Result r = LoadClient.run(address, 64, Duration.ofSeconds(1), Duration.ofSeconds(2), serverPid);
 * }</pre>
 *
 * <p>On a 2-core machine the client's one thread is the ceiling (near 200k req/s): fast servers
 * all meet it, which is why the CPU time per request is reported beside the rate. Also runnable as
 * a process of its own ({@link #main}) for the pinned pass, where it and the server get a CPU
 * each; it then prints {@link Result#lines()}.
 */
public final class LoadClient {
    /** The request: 15 characters and a newline, as in SocketServerBenchmark and the CPython twins. */
    static final byte[] LINE = "0123456789abcde\n".getBytes(StandardCharsets.US_ASCII);
    /** Longer than this without any reply, the server is taken to be stuck and the pass fails. */
    private static final long STALL_NANOS = Duration.ofSeconds(10).toNanos();
    private static final int IO_TIMEOUT_MILLIS = 10_000;

    private LoadClient() {}

    /**
     * One load pass's figures.
     *
     * @param connections        the connections driven
     * @param requests           replies received in the timed window
     * @param seconds            the window's length
     * @param p50Nanos           median latency of the window's requests
     * @param p99Nanos           99th percentile latency
     * @param serverCpuNanos     the server's CPU time (user + system) over the window, or NaN without a pid
     */
    public record Result(int connections, long requests, double seconds, double p50Nanos, double p99Nanos,
                         double serverCpuNanos) {
        public double requestsPerSecond() {
            return requests / seconds;
        }

        /** The server's CPU time per request in nanoseconds (NaN when not measured). */
        public double serverCpuNanosPerRequest() {
            return requests == 0 ? Double.NaN : serverCpuNanos / requests;
        }

        /** {@code key<TAB>value} lines, for {@link #main}'s output. */
        String lines() {
            return String.format(Locale.ROOT, "connections\t%d%nrequests\t%d%nseconds\t%.6f%np50\t%.0f%np99\t%.0f%ncpu\t%.0f%n",
                    connections, requests, seconds, p50Nanos, p99Nanos, serverCpuNanos);
        }

        /** One readable line for the runner's log. */
        public String summary() {
            return String.format(Locale.ROOT, "%,.0f req/s, p50 %.0f us, p99 %.0f us, server CPU %.2f us/req",
                    requestsPerSecond(), p50Nanos / 1e3, p99Nanos / 1e3, serverCpuNanosPerRequest() / 1e3);
        }
    }

    /**
     * Runs one pass: opens {@code connections} (each served once, see {@link #openServed}), sends
     * on all through {@code warmup}, measures through {@code window}, and closes them all.
     *
     * @param serverPid the server process, whose CPU time is read at the window's ends; 0 for none
     * @throws IOException a connection failed, or the server stalled for 10 s
     */
    public static Result run(InetSocketAddress server, int connections, Duration warmup, Duration window, long serverPid)
            throws IOException {
        List<SocketChannel> channels = new ArrayList<>(connections);
        try (Selector selector = Selector.open()) {
            try {
                for (int i = 0; i < connections; i++) {
                    SocketChannel ch = openServed(server);
                    channels.add(ch);
                    ch.configureBlocking(false);
                    ch.register(selector, SelectionKey.OP_READ, new InFlight());
                }
                return drive(selector, warmup, window, serverPid, connections);
            } finally {
                closeAll(channels);
            }
        }
    }

    /** One connection's state: the reply read so far and when its request went out. */
    private static final class InFlight {
        final ByteBuffer reply = ByteBuffer.allocate(LINE.length);
        long sentAt;
    }

    private static Result drive(Selector selector, Duration warmup, Duration window, long pid, int connections)
            throws IOException {
        ByteBuffer request = ByteBuffer.wrap(LINE);
        long start = System.nanoTime();
        for (SelectionKey key : selector.keys()) {
            send((SocketChannel) key.channel(), (InFlight) key.attachment(), request, start);
        }
        long windowStart = start + warmup.toNanos();
        long windowEnd = windowStart + window.toNanos();
        boolean measuring = false;
        long cpuBefore = -1;
        long measuredFrom = 0;
        long requests = 0;
        Latencies latencies = new Latencies(1 << 18);
        long lastReply = start;
        while (true) {
            long now = System.nanoTime();
            if (!measuring && now - windowStart >= 0) {
                measuring = true;
                cpuBefore = pid > 0 ? ProcStat.cpuTicks(pid) : -1;
                measuredFrom = System.nanoTime();
                requests = 0;
            }
            if (measuring && now - windowEnd >= 0) {
                break;
            }
            if (now - lastReply > STALL_NANOS) {
                throw new IOException("the server sent nothing for " + STALL_NANOS / 1_000_000_000 + " s");
            }
            if (selector.select(100) == 0) {
                continue;
            }
            now = System.nanoTime();
            for (SelectionKey key : selector.selectedKeys()) {
                SocketChannel ch = (SocketChannel) key.channel();
                InFlight f = (InFlight) key.attachment();
                if (ch.read(f.reply) < 0) {
                    throw new IOException("the server closed a connection");
                }
                if (!f.reply.hasRemaining()) {
                    lastReply = now;
                    if (measuring) {
                        requests++;
                        latencies.record(now - f.sentAt);
                    }
                    f.reply.clear();
                    send(ch, f, request, now);
                }
            }
            selector.selectedKeys().clear();
        }
        long measuredTo = System.nanoTime();
        long cpuAfter = pid > 0 ? ProcStat.cpuTicks(pid) : -1;
        double cpu = cpuBefore >= 0 && cpuAfter >= 0 ? ProcStat.ticksToNanos(cpuAfter - cpuBefore) : Double.NaN;
        return new Result(connections, requests, (measuredTo - measuredFrom) / 1e9,
                latencies.percentile(50), latencies.percentile(99), cpu);
    }

    private static void send(SocketChannel ch, InFlight f, ByteBuffer request, long now) throws IOException {
        f.sentAt = now;
        request.clear();
        // 16 bytes into a socket whose previous reply has been read: the send buffer is empty.
        if (ch.write(request) != LINE.length) {
            throw new IOException("a 16-byte request was not written whole");
        }
    }

    /**
     * Opens a blocking connection to {@code server} and makes one request on it: when this
     * returns, the server has accepted it and its handler (thread, greenlet, ...) is waiting for
     * the next line. Connecting one at a time this way never overflows a listen backlog of 5
     * (CPython's and ours by default).
     */
    public static SocketChannel openServed(InetSocketAddress server) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.socket().connect(server, IO_TIMEOUT_MILLIS);
            ch.socket().setSoTimeout(IO_TIMEOUT_MILLIS);
            roundTrip(ch);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** One blocking request on {@code ch}: the line out, its echo read back whole. */
    static void roundTrip(SocketChannel ch) throws IOException {
        ch.write(ByteBuffer.wrap(LINE));
        InputStream in = ch.socket().getInputStream();   // honours the socket's read timeout
        byte[] reply = new byte[LINE.length];
        int got = 0;
        while (got < reply.length) {
            int n = in.read(reply, got, reply.length - got);
            if (n < 0) {
                throw new IOException("the server closed the connection");
            }
            got += n;
        }
    }

    static void closeAll(List<SocketChannel> channels) {
        for (SocketChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing: nothing more to do
            }
        }
        channels.clear();
    }

    /**
     * A pass in a process of its own: {@code LoadClient PORT CONNECTIONS WARMUP_MS WINDOW_MS SERVER_PID}
     * against loopback; prints the result as {@code key<TAB>value} lines; exit 1 on failure.
     */
    public static void main(String[] args) {
        try {
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0]));
            Result r = run(server, Integer.parseInt(args[1]), Duration.ofMillis(Long.parseLong(args[2])),
                    Duration.ofMillis(Long.parseLong(args[3])), Long.parseLong(args[4]));
            System.out.print(r.lines());
            System.out.flush();
        } catch (IOException | RuntimeException e) {
            System.err.println("LoadClient: " + e);
            System.exit(1);
        }
    }
}
