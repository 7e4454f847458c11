package io.github.pyconcurrent.benchmarks.socketserver;

import io.github.pyconcurrent.benchmarks.socketserver.SocketServerBenchmark.LineEcho;
import io.github.pyconcurrent.gevent.Hub;
import io.github.pyconcurrent.socketserver.BaseServer;
import io.github.pyconcurrent.socketserver.ForkingTCPServer;
import io.github.pyconcurrent.socketserver.GreenletTCPServer;
import io.github.pyconcurrent.socketserver.PreforkingTCPServer;
import io.github.pyconcurrent.socketserver.ThreadingTCPServer;
import io.github.pyconcurrent.socketserver.VirtualThreadingTCPServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One echo server under load, in a process of its own so that its CPU time and resident set can
 * be read from {@code /proc/PID} apart from the client's: the load rows' server side
 * ({@link ServerProcess} starts it; CPython's servers are {@code _load_server.py}, which speaks
 * the same protocol).
 *
 * <pre>
 * java &lt;JvmFlags&gt; -cp benchmarks.jar io.github.pyconcurrent.benchmarks.socketserver.LoadServer virtual
 * </pre>
 *
 * <p>Forms: {@code threading}, {@code virtual}, {@code greenlet}, {@code forking},
 * {@code preforking} (ours, each serving {@link LineEcho}, the JMH benchmark's handler; the
 * preforking one with one worker JVM per CPU, listening once they are ready); {@code jdk-platform} and
 * {@code jdk-virtual} (a {@link ServerSocket} and a platform or virtual thread per connection
 * echoing what it reads, the plain JDK servers); {@code netty} (Netty's NIO transport with one
 * event-loop thread, {@link #NETTY_THREADS}, echoing each read buffer: the fastest common JVM server, the ceiling the
 * issue's goals are ratios of). All bind an ephemeral port on loopback.
 *
 * <p>Protocol on the standard streams: it prints {@code listening PORT} once it accepts; each
 * {@code gc} line read makes it collect garbage (so that a resident-set reading is not inflated by
 * garbage) and answer {@code ok HEAP_BYTES_IN_USE}; at end of input (the parent closed it, or died) it stops serving,
 * closes and exits, so a server never outlives its runner.
 */
public final class LoadServer {
    /**
     * Netty's event-loop threads ({@code -Dpyconcurrent.loadserver.nettyThreads=N}, 0 = Netty's
     * own default of twice the CPUs). One by default: the client holds the other core of a 2-core
     * machine, and there one loop measured 100k req/s at 9.8 us of CPU per request where Netty's
     * default four gave 60k at 15.8 us (2026-12-03, same client): the reference is Netty at its best.
     */
    static final int NETTY_THREADS = Integer.getInteger("pyconcurrent.loadserver.nettyThreads", 1);

    private LoadServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: LoadServer threading|virtual|greenlet|forking|preforking|jdk-platform|jdk-virtual|netty");
            System.exit(2);
        }
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        AutoCloseable stop;
        int port;
        switch (args[0]) {
            case "threading" -> {
                BaseServer s = new ThreadingTCPServer(any, LineEcho.class);
                s.setDaemonThreads(true);   // held connections need not be waited for at exit
                stop = serve(s, false);
                port = ((InetSocketAddress) s.serverAddress()).getPort();
            }
            case "virtual" -> {
                BaseServer s = new VirtualThreadingTCPServer(any, LineEcho.class);
                stop = serve(s, false);
                port = ((InetSocketAddress) s.serverAddress()).getPort();
            }
            case "greenlet" -> {
                BaseServer s = new GreenletTCPServer(any, LineEcho.class);
                stop = serve(s, true);
                port = ((InetSocketAddress) s.serverAddress()).getPort();
            }
            case "forking" -> {
                BaseServer s = new ForkingTCPServer(any, LineEcho.class);
                stop = serve(s, false);
                port = ((InetSocketAddress) s.serverAddress()).getPort();
            }
            case "preforking" -> {
                PreforkingTCPServer s = new PreforkingTCPServer(any, LineEcho.class);
                // Listening once every worker JVM takes connections, as a deployed server would be
                // before it gets traffic: the load rows measure serving, not the workers' start.
                if (!s.awaitWorkers(java.time.Duration.ofMinutes(2))) {
                    throw new IllegalStateException("the preforking server's workers were not ready within 2 minutes");
                }
                // The workers took the forkserver's warm spares, and new spares warm up (class
                // loading, Chronicle Map: seconds of CPU). Measured during that, the workers shared
                // the 2 CPUs with them: 4,500 req/s where the Virtual form made 23,000 (same minute).
                io.github.pyconcurrent.multiprocessing.Multiprocessing.warmUp(java.time.Duration.ofMinutes(2));
                stop = serve(s, false);
                port = ((InetSocketAddress) s.serverAddress()).getPort();
            }
            case "jdk-platform", "jdk-virtual" -> {
                ServerSocket listening = new ServerSocket();
                listening.bind(any, 128);
                boolean virtual = args[0].equals("jdk-virtual");
                Thread.ofPlatform().daemon().start(() -> acceptLoop(listening, virtual));
                stop = listening;
                port = listening.getLocalPort();
            }
            case "netty" -> {
                EventLoopGroup group = new MultiThreadIoEventLoopGroup(NETTY_THREADS, NioIoHandler.newFactory());
                Channel channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(new NettyEcho()).bind(any).sync().channel();
                stop = () -> {
                    channel.close().sync();
                    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).sync();
                };
                port = ((InetSocketAddress) channel.localAddress()).getPort();
            }
            default -> {
                System.err.println("unknown form " + args[0]);
                System.exit(2);
                return;
            }
        }
        System.out.println("listening " + port);
        System.out.flush();
        BufferedReader control = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while ((line = control.readLine()) != null) {
            if (line.strip().equals("gc")) {
                for (int i = 0; i < 3; i++) {
                    System.gc();
                }
                // The heap in use after the collection, beside the resident set the parent reads:
                // how much of a difference in RSS is live objects.
                System.out.println("ok " + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                System.out.flush();
            }
        }
        try {
            stop.close();
        } finally {
            // Held connections' threads and greenlets are not unwound one by one: the process ends.
            System.exit(0);
        }
    }

    /** Runs {@code server.serveForever()} on a thread of its own; closing the result stops and closes it. */
    private static AutoCloseable serve(BaseServer server, boolean hub) {
        Thread loop = Thread.ofPlatform().name("serve-forever").start(() -> {
            try {
                server.serveForever();
            } finally {
                if (hub) {
                    Hub.get().destroy();
                }
            }
        });
        return () -> {
            server.shutdown();
            server.serverClose();
            loop.join(10_000);
        };
    }

    private static void acceptLoop(ServerSocket listening, boolean virtual) {
        while (!listening.isClosed()) {
            try {
                Socket s = listening.accept();
                s.setTcpNoDelay(true);
                (virtual ? Thread.ofVirtual() : Thread.ofPlatform().daemon()).start(() -> echo(s));
            } catch (IOException e) {
                return;   // closed
            }
        }
    }

    /** The plain JDK servers' handler: what it reads goes back (the client sends one whole line at a time). */
    private static void echo(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Netty's echo: each read buffer is written back, flushed once per read burst. */
    @ChannelHandler.Sharable
    static final class NettyEcho extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();   // a reset by the client
        }
    }
}
