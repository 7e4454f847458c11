package io.github.pyconcurrent.chaos;

import io.github.pyconcurrent.gevent.Hub;
import io.github.pyconcurrent.socketserver.GreenletTCPServer;
import io.github.pyconcurrent.socketserver.StreamRequestHandler;
import io.github.pyconcurrent.socketserver.TCPServer;
import io.github.pyconcurrent.socketserver.VirtualThreadingTCPServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link VirtualThreadingTCPServer} and a {@link GreenletTCPServer}, both echoing lines, with
 * {@value #GOOD_CLIENTS} well-behaved clients (connect, three lines, read the echoes, close) while
 * the injector sends clients that write garbage, clients that reset mid-request, and bursts of
 * {@value #BURST} connections. Promise checked: every good client is served, correctly, within
 * the bound. The bad clients' own fate is not judged (a burst may overflow the backlog).
 */
final class ServerPart implements Part {
    static final int GOOD_CLIENTS = 24;
    static final int BURST = 1000;
    static final Duration HANDLER_TIMEOUT = Duration.ofSeconds(10);

    /** Echoes every line; a client silent for {@link #HANDLER_TIMEOUT} is dropped. */
    public static class Echo extends StreamRequestHandler {
        public Echo() {
            timeout = HANDLER_TIMEOUT;
        }

        @Override
        protected void handle() throws Exception {
            byte[] line;
            while ((line = rfile.readline()).length > 0) {
                wfile.write(line);
            }
        }
    }

    private final ChaosContext ctx;
    private final PartTally tally;
    private final AtomicLong handlerErrors = new AtomicLong();
    private final AtomicLong burstConnected = new AtomicLong();
    private final AtomicLong burstRefused = new AtomicLong();
    private final AtomicBoolean bursting = new AtomicBoolean();
    private final List<TCPServer> servers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final ExecutorService bad = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean running = true;

    ServerPart(ChaosContext ctx) {
        this.ctx = ctx;
        this.tally = ctx.tally("server");
    }

    @Override
    public String name() {
        return "server";
    }

    @Override
    public PartTally tally() {
        return tally;
    }

    private void handlerFailed(Throwable error) {
        // the bad clients' resets and garbage end in here; counted, not printed
        handlerErrors.incrementAndGet();
    }

    @Override
    public void start() {
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        servers.add(new VirtualThreadingTCPServer(any, Echo.class) {
            @Override
            public void handleError(Object request, SocketAddress clientAddress, Throwable error) {
                handlerFailed(error);
            }
        });
        servers.add(new GreenletTCPServer(any, Echo.class) {
            @Override
            public void handleError(Object request, SocketAddress clientAddress, Throwable error) {
                handlerFailed(error);
            }
        });
        threads.add(Thread.ofPlatform().name("chaos-server-virtual").daemon().start(() -> servers.get(0).serveForever()));
        threads.add(Thread.ofPlatform().name("chaos-server-greenlet").daemon().start(() -> {
            servers.get(1).serveForever();
            Hub.get().destroy();
        }));
        for (int c = 0; c < GOOD_CLIENTS; c++) {
            int client = c;
            threads.add(Thread.ofVirtual().name("chaos-good-client-" + c).start(() -> goodClient(client)));
        }
    }

    private InetSocketAddress address(int server) {
        return (InetSocketAddress) servers.get(server).serverAddress();
    }

    private String serverName(int server) {
        return server == 0 ? "virtual" : "greenlet";
    }

    private void goodClient(int client) {
        Random random = new Random(ctx.options.seed() ^ client);
        int timeoutMillis = (int) ctx.options.stallBound().toMillis();
        for (long round = 0; running; round++) {
            int server = (int) ((client + round) % 2);
            long ticket = ctx.watchdog.begin(tally, "good client " + client + " of the " + serverName(server) + " server");
            try (Socket s = new Socket()) {
                s.connect(address(server), timeoutMillis);
                s.setSoTimeout(timeoutMillis);
                OutputStream out = s.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                for (int line = 0; line < 3; line++) {
                    String text = "client " + client + " round " + round + " line " + line;
                    out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
                    String echo = in.readLine();
                    if (!text.equals(echo)) {
                        tally.violation("the " + serverName(server) + " server answered '" + echo + "' to '" + text + "'");
                        break;
                    }
                }
                tally.acknowledged(1);
            } catch (IOException | UncheckedIOException e) {
                if (running) {
                    tally.violation("good client " + client + " not served by the " + serverName(server) + " server: " + e);
                }
            } finally {
                ctx.watchdog.end(ticket);
            }
            try {
                Thread.sleep(20 + random.nextInt(100));   // pacing between a client's rounds, not a wait for readiness
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public List<FaultKind> faultKinds() {
        return List.of(FaultKind.GARBAGE_CLIENT, FaultKind.RESET_CLIENT, FaultKind.CONNECTION_BURST);
    }

    @Override
    public String strike(FaultKind kind, Random random) {
        int server = random.nextInt(2);
        InetSocketAddress to = address(server);
        long seed = random.nextLong();
        switch (kind) {
            case GARBAGE_CLIENT -> bad.execute(() -> garbage(to, new Random(seed)));
            case RESET_CLIENT -> bad.execute(() -> reset(to));
            case CONNECTION_BURST -> {
                if (!bursting.compareAndSet(false, true)) {
                    return null;
                }
                bad.execute(() -> burst(to));
            }
            default -> throw new IllegalArgumentException(kind.toString());
        }
        return kind.label + " at the " + serverName(server) + " server";
    }

    private void garbage(InetSocketAddress to, Random random) {
        try (Socket s = new Socket()) {
            s.connect(to, 10_000);
            byte[] junk = new byte[1 + random.nextInt(16 * 1024)];
            random.nextBytes(junk);
            s.getOutputStream().write(junk);
        } catch (IOException e) {
            // a bad client's fate is not judged
        }
    }

    private void reset(InetSocketAddress to) {
        try (Socket s = new Socket()) {
            s.connect(to, 10_000);
            s.getOutputStream().write("half a requ".getBytes(StandardCharsets.UTF_8));
            s.setSoLinger(true, 0);   // close() now sends RST
        } catch (IOException e) {
            // a bad client's fate is not judged
        }
    }

    private void burst(InetSocketAddress to) {
        List<Socket> open = new ArrayList<>();
        try (ExecutorService connectors = Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<Socket>> pending = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                pending.add(connectors.submit(() -> {
                    Socket s = new Socket();
                    try {
                        s.connect(to, 10_000);
                        return s;
                    } catch (IOException e) {
                        s.close();
                        return null;
                    }
                }));
            }
            for (var f : pending) {
                try {
                    Socket s = f.get();
                    if (s == null) {
                        burstRefused.incrementAndGet();
                    } else {
                        burstConnected.incrementAndGet();
                        open.add(s);
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    burstRefused.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (Socket s : open) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing our own client socket: nothing to do
                }
            }
            bursting.set(false);
        }
    }

    @Override
    public List<Long> pausablePids() {
        return List.of();
    }

    @Override
    public String progress() {
        return tally.acknowledged() + " good clients served";
    }

    @Override
    public void stopAndCheck() {
        running = false;
        bad.close();   // waits for the bad clients and a burst in progress
        for (Thread t : threads) {
            if (t.isVirtual()) {
                join(t);
            }
        }
        for (TCPServer s : servers) {
            long ticket = ctx.watchdog.begin(tally, "shutting the server down");
            s.shutdown();
            s.serverClose();
            ctx.watchdog.end(ticket);
        }
        for (Thread t : threads) {
            join(t);
        }
        tally.counted(0, 0, 0, 0);
        tally.note(String.format("burst connections: %d accepted, %d refused or timed out; %d handler errors (bad clients)",
                burstConnected.get(), burstRefused.get(), handlerErrors.get()));
    }

    private void join(Thread t) {
        try {
            if (!t.join(ctx.options.stallBound())) {
                tally.violation("thread " + t.getName() + " did not end within the bound");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        bad.shutdownNow();
        for (TCPServer s : servers) {
            s.serverClose();
        }
    }
}
