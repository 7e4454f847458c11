package io.github.pyconcurrent.chaos;

import io.github.pyconcurrent.gevent.Hub;
import io.github.pyconcurrent.socketserver.GreenletTCPServer;
import io.github.pyconcurrent.socketserver.PreforkingTCPServer;
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
 * A {@link VirtualThreadingTCPServer}, a {@link GreenletTCPServer} and a
 * {@link PreforkingTCPServer} with {@value #PREFORK_WORKERS} worker JVMs, all echoing lines, with
 * {@value #GOOD_CLIENTS} well-behaved clients (connect, three lines, read the echoes, close; the
 * prefork server first names the pid of the worker serving the connection) while the injector
 * sends clients that write garbage, clients that reset mid-request, bursts of {@value #BURST}
 * connections, and SIGKILLs a prefork worker mid-request (a victim client holds a request open
 * on it). Promises checked: every good client is served, correctly, within the bound, except one
 * whose connection was on a prefork worker the injector killed (its pid was named, or a worker
 * was killed while it waited for the name); the victim's request ends with EOF or a reset, never
 * an answer. The bad clients' own fate is not judged (a burst may overflow the backlog).
 */
final class ServerPart implements Part {
    static final int GOOD_CLIENTS = 24;
    static final int BURST = 1000;
    static final Duration HANDLER_TIMEOUT = Duration.ofSeconds(10);
    static final int PREFORK_WORKERS = 2;
    static final int PREFORK = 2;
    /** How long the injector waits for its victim to be served by a prefork worker before it gives the strike up. */
    static final Duration VICTIM_TIMEOUT = Duration.ofSeconds(1);

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

    /**
     * The prefork server's handler: names the worker's pid, then echoes. A bad client's reset ends
     * it quietly: in a worker JVM the server's handleError is the default one, which prints.
     */
    public static class PidEcho extends Echo {
        @Override
        protected void handle() throws Exception {
            try {
                wfile.write(("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8));
                super.handle();
            } catch (IOException | UncheckedIOException e) {
                // the client reset or left mid-request (a bad client, or a good one after a kill)
            }
        }
    }

    private final ChaosContext ctx;
    private final PartTally tally;
    private final AtomicLong explainedFailures = new AtomicLong();
    private final AtomicLong victims = new AtomicLong();
    /** Prefork workers killed and not yet seen gone: connections handed to them meanwhile die with them. */
    private final AtomicLong dyingWorkers = new AtomicLong();
    /** When a killed prefork worker was last seen gone (nanoTime). */
    private volatile long lastWorkerGoneNanos = System.nanoTime() - java.util.concurrent.TimeUnit.DAYS.toNanos(1);
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
        PreforkingTCPServer prefork = new PreforkingTCPServer(any, PidEcho.class, PREFORK_WORKERS);
        servers.add(prefork);
        threads.add(Thread.ofPlatform().name("chaos-server-prefork").daemon().start(prefork::serveForever));
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
        return switch (server) {
            case 0 -> "virtual";
            case 1 -> "greenlet";
            default -> "prefork";
        };
    }

    private PreforkingTCPServer prefork() {
        return (PreforkingTCPServer) servers.get(PREFORK);
    }

    /** The prefork server's first line: the pid of the worker serving this connection (recorded as a child of the run). */
    private long readWorkerPid(BufferedReader in) throws IOException {
        String first = in.readLine();
        if (first == null || !first.startsWith("pid ")) {
            throw new IOException("the prefork server's first line was '" + first + "', not its worker's pid");
        }
        long pid = Long.parseLong(first.substring(4));
        ctx.sawChild(pid);
        return pid;
    }

    private void goodClient(int client) {
        Random random = new Random(ctx.options.seed() ^ client);
        int timeoutMillis = (int) ctx.options.stallBound().toMillis();
        for (long round = 0; running; round++) {
            int server = (int) ((client + round) % servers.size());
            long ticket = ctx.watchdog.begin(tally, "good client " + client + " of the " + serverName(server) + " server");
            long began = System.nanoTime();
            long workerPid = 0;
            try (Socket s = new Socket()) {
                s.connect(address(server), timeoutMillis);
                s.setSoTimeout(timeoutMillis);
                OutputStream out = s.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                if (server == PREFORK) {
                    workerPid = readWorkerPid(in);
                }
                for (int line = 0; line < 3; line++) {
                    String text = "client " + client + " round " + round + " line " + line;
                    out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
                    String echo = in.readLine();
                    if (echo == null && server == PREFORK && ctx.killedPids.contains(workerPid)) {
                        throw new IOException("EOF");   // cut by the kill of its worker: explained below
                    }
                    if (!text.equals(echo)) {
                        tally.violation("the " + serverName(server) + " server answered '" + echo + "' to '" + text + "'");
                        break;
                    }
                }
                tally.acknowledged(1);
            } catch (IOException | UncheckedIOException e) {
                if (server == PREFORK && (ctx.killedPids.contains(workerPid) || (workerPid == 0 && cutByDyingWorker(began)))) {
                    explainedFailures.incrementAndGet();   // its worker was SIGKILLed under it
                } else if (running) {
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
        return List.of(FaultKind.GARBAGE_CLIENT, FaultKind.RESET_CLIENT, FaultKind.CONNECTION_BURST, FaultKind.KILL_SERVER_CHILD);
    }

    @Override
    public String strike(FaultKind kind, Random random) {
        if (kind == FaultKind.KILL_SERVER_CHILD) {
            return killWorkerMidRequest();
        }
        int server = random.nextInt(servers.size());
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

    /**
     * A victim client opens a request on the prefork server; once a worker names itself, that
     * worker is SIGKILLed and the victim must see its request end (EOF or reset), never an answer.
     */
    private String killWorkerMidRequest() {
        if (prefork().workerPids().size() < PREFORK_WORKERS) {
            return null;   // a replacement is still starting: killing the last worker would stall every client for a JVM start
        }
        Socket victim = new Socket();
        try {
            victim.connect(address(PREFORK), (int) VICTIM_TIMEOUT.toMillis());
            victim.setSoTimeout((int) VICTIM_TIMEOUT.toMillis());
            BufferedReader in = new BufferedReader(new InputStreamReader(victim.getInputStream(), StandardCharsets.UTF_8));
            long pid = readWorkerPid(in);
            if (ctx.killedPids.contains(pid)) {
                victim.close();
                return null;
            }
            java.util.Optional<ProcessHandle> worker = ProcessHandle.of(pid);
            dyingWorkers.incrementAndGet();
            if (worker.isEmpty() || !ctx.kill(pid)) {
                dyingWorkers.decrementAndGet();
                victim.close();
                return null;
            }
            worker.get().onExit().whenComplete((h, e) -> {
                lastWorkerGoneNanos = System.nanoTime();
                dyingWorkers.decrementAndGet();
            });
            victims.incrementAndGet();
            bad.execute(() -> victimEnds(victim, in, pid));
            return "SIGKILL prefork worker pid " + pid + " mid-request";
        } catch (IOException | RuntimeException e) {
            try {
                victim.close();
            } catch (IOException ignored) {
                // our own socket
            }
            return null;   // not served within the timeout (a worker starting or paused): no strike
        }
    }

    /**
     * Whether a good client that began at {@code began} and was cut before its worker named itself
     * may have been handed to a killed worker: one was dying (killed, not yet gone) when it was
     * cut, or went after it began. Until the kernel has torn a killed JVM down, its hand-over
     * channel still takes connections, which are lost with it (as PreforkingTCPServer documents).
     */
    private boolean cutByDyingWorker(long began) {
        return dyingWorkers.get() > 0 || lastWorkerGoneNanos - began >= 0;
    }

    private void victimEnds(Socket victim, BufferedReader in, long pid) {
        try (victim) {
            victim.setSoTimeout((int) ctx.options.stallBound().toMillis());
            victim.getOutputStream().write("are you there\n".getBytes(StandardCharsets.UTF_8));
            String answer = in.readLine();
            if (answer != null) {
                tally.violation("the victim of killed prefork worker " + pid + " got an answer: '" + answer + "'");
            }
        } catch (java.net.SocketTimeoutException e) {
            tally.violation("the victim of killed prefork worker " + pid + " was neither answered nor cut within the bound");
        } catch (IOException e) {
            // reset: the request ended with its worker, as it must
        }
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
        List<Long> pids = new ArrayList<>(prefork().workerPids());
        pids.forEach(ctx::sawChild);
        pids.removeAll(ctx.killedPids);
        return pids;
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
        tally.counted(explainedFailures.get(), explainedFailures.get(), 0, 0);
        tally.note(String.format("burst connections: %d accepted, %d refused or timed out; %d handler errors (bad clients);"
                        + " %d prefork workers killed mid-request, %d good clients cut by those kills",
                burstConnected.get(), burstRefused.get(), handlerErrors.get(), victims.get(), explainedFailures.get()));
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
