package io.github.pyconcurrent.benchmarks.socketserver;

import io.github.pyconcurrent.benchmarks.Versus;
import io.github.pyconcurrent.gevent.Hub;
import io.github.pyconcurrent.socketserver.BaseServer;
import io.github.pyconcurrent.socketserver.GreenletTCPServer;
import io.github.pyconcurrent.socketserver.StreamRequestHandler;
import io.github.pyconcurrent.socketserver.ThreadingTCPServer;
import io.github.pyconcurrent.socketserver.VirtualThreadingTCPServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One request of a 16-byte line echoed by a line-echo handler, from a blocking client on
 * loopback, sampled (so percentiles show; the table reports the median): on a connection kept
 * open, per server form ({@link ThreadingTCPServer}, {@link VirtualThreadingTCPServer},
 * {@link GreenletTCPServer}), beside a plain JDK server (a {@link ServerSocket} and a platform
 * thread per connection) and CPython's {@code socketserver.ThreadingTCPServer}
 * ({@code socketserver_bench.py}).
 *
 * <p>Connect + one request + close is measured {@value #BATCH} connections per invocation
 * (single shot, the score per connection), few enough that the client's ephemeral ports, held in TIME_WAIT for a
 * minute after each close, are never exhausted. The load rows (N connections, throughput, server
 * CPU per request, memory per idle connection) are {@link LoadClient}'s, against servers in
 * processes of their own ({@link LoadServer}).
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class SocketServerBenchmark {
    static final int BATCH = 200;
    private static final byte[] LINE = "0123456789abcde\n".getBytes(StandardCharsets.US_ASCII);

    /** Python's StreamRequestHandler echo: a line in, the same line out, until end of stream. */
    public static class LineEcho extends StreamRequestHandler {
        public LineEcho() {
            disableNagleAlgorithm = true;
        }

        @Override
        protected void handle() {
            byte[] line;
            while ((line = rfile.readline()).length > 0) {
                try {
                    wfile.write(line);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    BaseServer threading;
    BaseServer virtual;
    GreenletTCPServer greenlet;
    Thread threadingLoop;
    Thread virtualLoop;
    Thread greenletLoop;
    ServerSocket jdk;
    Thread jdkAcceptor;
    Client threadingClient;
    Client virtualClient;
    Client greenletClient;
    Client jdkClient;

    /** A kept-open blocking connection. */
    static final class Client implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final byte[] reply = new byte[LINE.length];

        Client(SocketAddress address) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        int roundTrip() throws IOException {
            out.write(LINE);
            int got = 0;
            while (got < LINE.length) {
                int n = in.read(reply, got, LINE.length - got);
                if (n < 0) {
                    throw new IOException("the server closed the connection");
                }
                got += n;
            }
            return reply[0];
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** {@value #BATCH} times: connect, one request, close; the score is per connection. */
    static int connections(SocketAddress address) throws IOException {
        int sum = 0;
        for (int i = 0; i < BATCH; i++) {
            try (Client c = new Client(address)) {
                sum += c.roundTrip();
            }
        }
        return sum;
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    @Setup(Level.Trial)
    public void start() throws IOException, InterruptedException {
        threading = new ThreadingTCPServer(loopback(), LineEcho.class);
        threading.setDaemonThreads(true);
        threadingLoop = Thread.ofPlatform().daemon().start(threading::serveForever);
        virtual = new VirtualThreadingTCPServer(loopback(), LineEcho.class);
        virtualLoop = Thread.ofPlatform().daemon().start(virtual::serveForever);
        greenlet = new GreenletTCPServer(loopback(), LineEcho.class);
        CountDownLatch hubDone = new CountDownLatch(1);
        greenletLoop = Thread.ofPlatform().daemon().start(() -> {
            try {
                greenlet.serveForever();
            } finally {
                Hub.get().destroy();
                hubDone.countDown();
            }
        });
        jdk = new ServerSocket();
        jdk.bind(loopback());
        jdkAcceptor = Thread.ofPlatform().daemon().start(this::jdkAcceptLoop);
        threadingClient = new Client(threading.serverAddress());
        virtualClient = new Client(virtual.serverAddress());
        greenletClient = new Client(greenlet.serverAddress());
        jdkClient = new Client(jdk.getLocalSocketAddress());
    }

    private void jdkAcceptLoop() {
        while (!jdk.isClosed()) {
            try {
                Socket s = jdk.accept();
                s.setTcpNoDelay(true);
                Thread.ofPlatform().daemon().start(() -> jdkEcho(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void jdkEcho(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n); // the client sends one whole line at a time
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException, InterruptedException {
        for (Client c : new Client[] {threadingClient, virtualClient, greenletClient, jdkClient}) {
            c.close();
        }
        for (BaseServer s : new BaseServer[] {threading, virtual, greenlet}) {
            s.shutdown();
            s.serverClose();
        }
        jdk.close();
        threadingLoop.join(10_000);
        virtualLoop.join(10_000);
        greenletLoop.join(10_000);
        jdkAcceptor.join(10_000);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @Versus(jdk = "jdkRoundTrip", cpython = "socketserver.ThreadingTCPServer round trip",
            label = "ThreadingTCPServer request round trip")
    public int threadingRoundTrip() throws IOException {
        return threadingClient.roundTrip();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @Versus(jdk = "jdkRoundTrip", cpython = "socketserver.ThreadingTCPServer round trip",
            label = "VirtualThreadingTCPServer request round trip")
    public int virtualRoundTrip() throws IOException {
        return virtualClient.roundTrip();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @Versus(jdk = "jdkRoundTrip", cpython = "socketserver.ThreadingTCPServer round trip",
            label = "GreenletTCPServer request round trip")
    public int greenletRoundTrip() throws IOException {
        return greenletClient.roundTrip();
    }

    /** JDK baseline: a ServerSocket and a platform thread per connection. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public int jdkRoundTrip() throws IOException {
        return jdkClient.roundTrip();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OperationsPerInvocation(BATCH)
    @Warmup(iterations = 2)
    @Measurement(iterations = 3)
    @Versus(jdk = "jdkConnectRequestClose", cpython = "socketserver.ThreadingTCPServer connect+request+close",
            label = "ThreadingTCPServer connect + request + close")
    public int threadingConnectRequestClose() throws IOException {
        return connections(threading.serverAddress());
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OperationsPerInvocation(BATCH)
    @Warmup(iterations = 2)
    @Measurement(iterations = 3)
    @Versus(jdk = "jdkConnectRequestClose", cpython = "socketserver.ThreadingTCPServer connect+request+close",
            label = "VirtualThreadingTCPServer connect + request + close")
    public int virtualConnectRequestClose() throws IOException {
        return connections(virtual.serverAddress());
    }

    /** JDK baseline for a whole connection. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OperationsPerInvocation(BATCH)
    @Warmup(iterations = 2)
    @Measurement(iterations = 3)
    public int jdkConnectRequestClose() throws IOException {
        return connections(jdk.getLocalSocketAddress());
    }
}
