package io.github.pyconcurrent.benchmarks;

import io.github.pyconcurrent.benchmarks.socketserver.ConnectBurst;
import io.github.pyconcurrent.benchmarks.socketserver.ConnectRequestClose;
import io.github.pyconcurrent.benchmarks.socketserver.IdleConnections;
import io.github.pyconcurrent.benchmarks.socketserver.LoadClient;
import io.github.pyconcurrent.benchmarks.socketserver.LoadServer;
import io.github.pyconcurrent.benchmarks.socketserver.ProcStat;
import io.github.pyconcurrent.benchmarks.socketserver.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The socketserver group's load rows: every echo server in a process of its own ({@link LoadServer}
 * for the JVM's, {@code _load_server.py} for CPython's), driven by the one {@link LoadClient} of
 * this run, so that every figure compares within one run on one machine:
 * <ul>
 * <li>requests per second and the server's CPU time per request ({@link ProcStat}) at each
 *     connection count (64 and 256), ours and the plain JDK servers beside Netty's echo (the JDK
 *     column) and CPython's {@code ThreadingTCPServer} (the CPython column); Netty and CPython's
 *     one-thread {@code selectors} server as context rows;</li>
 * <li>connect + one request + close, p50 ({@link ConnectRequestClose}), beside the plain JDK
 *     platform-thread server and CPython's {@code ThreadingTCPServer} (for {@code ForkingTCPServer}:
 *     CPython's {@code ForkingTCPServer});</li>
 * <li>memory per idle connection: the server's resident set with {@code 10,000} served, idle
 *     connections ({@link IdleConnections}) minus before, after a garbage collection and a settle,
 *     divided by their number; a fresh server process each;</li>
 * <li>a burst: the time until {@code 10,000} connections started at once have all been served
 *     once ({@link ConnectBurst}), the forms for many connections beside Netty; a fresh server
 *     process each;</li>
 * <li>a pinned pass ({@code taskset}: server on CPU 0, client on CPU 1, the client in a JVM of
 *     its own), where the client no longer competes with the server for a core.</li>
 * </ul>
 * Figures are reported, never asserted. Req/s rows read the other way from the rest: ours/other
 * above 1 = ours faster. Usage: {@code ./run bench --include socketserver} (the rows come with the
 * socketserver group), {@code --no-load} leaves them out.
 */
final class LoadRows {
    /** Throughput's unit: higher is better (the table words its ratios accordingly). */
    static final String RATE = "req/s";
    /** The server's CPU time per request. */
    static final String CPU = "CPU ns/req";
    static final String SCRIPT = "_load_server.py";
    static final String CLASS = "io.github.pyconcurrent.benchmarks.socketserver.Load.";
    private static final Duration IDLE_OPEN_LIMIT = Duration.ofMinutes(2);
    private static final Duration SETTLE = Duration.ofSeconds(1);

    /**
     * A server under load.
     *
     * @param name   its key in the figures (and form: {@link LoadServer}'s, or after {@code cpython-} the script's)
     * @param label  the table's name for it
     */
    record Server(String name, String label) {
        boolean python() {
            return name.startsWith("cpython-");
        }
    }

    static final Server THREADING = new Server("threading", "ThreadingTCPServer");
    static final Server VIRTUAL = new Server("virtual", "VirtualThreadingTCPServer");
    static final Server GREENLET = new Server("greenlet", "GreenletTCPServer");
    static final Server FORKING = new Server("forking", "ForkingTCPServer");
    static final Server PREFORKING = new Server("preforking", "PreforkingTCPServer");
    static final Server JDK_PLATFORM = new Server("jdk-platform", "JDK server, platform thread per connection");
    static final Server JDK_VIRTUAL = new Server("jdk-virtual", "JDK server, virtual thread per connection");
    static final Server NETTY = new Server("netty", "Netty echo (NIO)");
    static final Server CPY_THREADING = new Server("cpython-threading", "CPython ThreadingTCPServer");
    static final Server CPY_SELECTORS = new Server("cpython-selectors", "CPython selectors server (one thread)");
    static final Server CPY_FORKING = new Server("cpython-forking", "CPython ForkingTCPServer");

    private static final List<Server> ALL = List.of(THREADING, VIRTUAL, GREENLET, FORKING, PREFORKING, JDK_PLATFORM, JDK_VIRTUAL,
            NETTY, CPY_THREADING, CPY_SELECTORS, CPY_FORKING);

    /**
     * The table's name for a load row's baseline ({@code …Load.load1_rate0008_netty}: the server
     * after the last underscore): its server's label, "Netty echo (NIO)" there.
     */
    static String baselineLabel(String baseline) {
        String server = baseline.substring(baseline.lastIndexOf('_') + 1);
        return ALL.stream().filter(s -> s.name().equals(server)).map(Server::label).findFirst().orElse(server);
    }

    /** Ours and the JDK's, paired with Netty and CPython's ThreadingTCPServer. */
    private static final List<Server> PAIRED = List.of(THREADING, VIRTUAL, GREENLET, JDK_PLATFORM, JDK_VIRTUAL);
    /**
     * Preforking and CPython's Forking serve in child processes, whose CPU time {@link ProcStat}
     * does not see (it reads the server's own process): no CPU-per-request rows for them (their
     * figure would be the accepting parent's alone, near zero).
     */
    private static final List<Server> MULTI_PROCESS = List.of(PREFORKING, CPY_FORKING);
    private static final List<Server> LOADED = List.of(THREADING, VIRTUAL, GREENLET, PREFORKING, JDK_PLATFORM,
            JDK_VIRTUAL, NETTY, CPY_THREADING, CPY_SELECTORS, CPY_FORKING);
    private static final List<Server> CONNECTING = List.of(THREADING, VIRTUAL, JDK_PLATFORM, CPY_THREADING,
            FORKING, PREFORKING, CPY_FORKING);
    private static final List<Server> MEMORY = List.of(GREENLET, VIRTUAL, THREADING, JDK_VIRTUAL, JDK_PLATFORM,
            NETTY, CPY_THREADING);
    private static final List<Server> BURST = List.of(VIRTUAL, GREENLET, NETTY);
    private static final Duration BURST_LIMIT = Duration.ofMinutes(2);
    private static final List<Server> PINNED = List.of(VIRTUAL, GREENLET, THREADING, JDK_VIRTUAL, NETTY,
            CPY_THREADING, CPY_SELECTORS);

    /**
     * How much to measure.
     *
     * @param warmup         unmeasured load before each window
     * @param window         the measured window of each load pass
     * @param connections    the connection counts of the load passes
     * @param connectSamples connections timed for a connect + request + close p50 (0: none)
     * @param idle           connections held for the memory rows (0: none)
     * @param pinned         connection count of the pinned pass (0: none)
     * @param servers        the servers loaded (the smoke run loads one)
     * @param burst          connections opened at once for the burst rows (0: none)
     */
    record Budget(Duration warmup, Duration window, List<Integer> connections, int connectSamples, int idle,
                  int pinned, List<Server> servers, int burst) {
        /** Without burst rows. */
        Budget(Duration warmup, Duration window, List<Integer> connections, int connectSamples, int idle,
               int pinned, List<Server> servers) {
            this(warmup, window, connections, connectSamples, idle, pinned, servers, 0);
        }

        static Budget of(CompareOptions options) {
            if (options.smoke()) {
                return new Budget(Duration.ofMillis(100), Duration.ofMillis(200), List.of(8), 0, 0, 0, List.of(VIRTUAL));
            }
            Duration window = options.loadWindow() != null ? options.loadWindow()
                    : options.forks() >= 3 ? Duration.ofSeconds(5) : Duration.ofSeconds(2);
            return new Budget(Duration.ofMillis(Math.max(500, window.toMillis() / 2)), window, List.of(64, 256),
                    300, 10_000, 64, LOADED, 10_000);
        }
    }

    private LoadRows() {}

    /** Whether the load rows go with the selected benchmark packages. */
    static boolean wanted(java.util.Collection<String> packages, CompareOptions options) {
        // The smoke run makes one tiny pass, so CI sees the whole path work (and leave nothing running).
        return options.load() && (packages.contains("socketserver") || options.smoke());
    }

    /**
     * Measures everything {@code budget} asks for and returns the figures by key (see
     * {@link #rows}); a server that fails is reported in one line to {@code log} and its figures
     * are left out. {@code python} runs CPython's servers; {@code null} leaves them out.
     */
    static Map<String, Double> measure(Budget budget, CpythonTwins.Interpreter cpython, PrintStream log) {
        Map<String, Double> figures = new LinkedHashMap<>();
        CpythonTwins.Interpreter python = cpython;
        Path scripts = null;
        if (python != null) {
            try {
                scripts = Files.createTempDirectory("pyconcurrent-load-");
                extractScript(scripts);
            } catch (IOException e) {
                log.println("load: cannot extract " + SCRIPT + " (" + e.getMessage() + "); CPython's servers left out");
                python = null;
            }
        }
        try {
            for (Server s : budget.servers()) {
                if (skip(s, python)) {
                    continue;
                }
                try (ServerProcess server = ServerProcess.start(command(s, python, scripts, false))) {
                    for (int n : budget.connections()) {
                        LoadClient.Result r = LoadClient.run(server.address(), n, budget.warmup(), budget.window(), server.pid());
                        put(figures, s.name() + " " + n, r);
                        log.printf(Locale.ROOT, "load: %-42s %3d connections: %s%n", s.label(), n, r.summary());
                    }
                    if (budget.connectSamples() > 0 && CONNECTING.contains(s)) {
                        connect(figures, s, server, budget, log);
                    }
                } catch (IOException | RuntimeException e) {
                    log.println("load: " + s.label() + " failed (" + e.getMessage() + "); its rows are left out");
                }
            }
            if (budget.connectSamples() > 0) {
                for (Server s : List.of(FORKING, CPY_FORKING)) {
                    if (skip(s, python) || figures.containsKey(s.name() + " connect p50")) { // measured with its load
                        continue;
                    }
                    try (ServerProcess server = ServerProcess.start(command(s, python, scripts, false))) {
                        connect(figures, s, server, budget, log);
                    } catch (IOException | RuntimeException e) {
                        log.println("load: " + s.label() + " failed (" + e.getMessage() + "); its rows are left out");
                    }
                }
            }
            if (budget.idle() > 0) {
                for (Server s : MEMORY) {
                    if (!skip(s, python)) {
                        idle(figures, s, python, scripts, budget.idle(), log);
                    }
                }
            }
            if (budget.burst() > 0) {
                for (Server s : BURST) {
                    burst(figures, s, budget.burst(), log);
                }
            }
            if (budget.pinned() > 0) {
                pinned(figures, budget, python, scripts, log);
            }
        } finally {
            if (scripts != null) {
                deleteQuietly(scripts.resolve(SCRIPT));
                deleteQuietly(scripts);
            }
        }
        return figures;
    }

    /** CPython's servers are left out when no interpreter was found (or --no-cpython). */
    private static boolean skip(Server s, CpythonTwins.Interpreter python) {
        return s.python() && python == null;
    }

    private static void connect(Map<String, Double> figures, Server s, ServerProcess server, Budget budget,
                                PrintStream log) throws IOException {
        boolean forking = s == FORKING || s == CPY_FORKING; // (Preforking's workers are warm: sampled as the rest)
        // A process per connection: fewer samples, each much longer.
        int samples = forking ? Math.max(5, budget.connectSamples() / 10) : budget.connectSamples();
        double p50 = ConnectRequestClose.p50(server.address(), forking ? 5 : 50, samples, Duration.ofSeconds(30));
        figures.put(s.name() + " connect p50", p50);
        log.printf(Locale.ROOT, "load: %-42s connect + request + close: p50 %.0f us%n", s.label(), p50 / 1e3);
    }

    private static void idle(Map<String, Double> figures, Server s, CpythonTwins.Interpreter python, Path scripts,
                             int count, PrintStream log) {
        try (ServerProcess server = ServerProcess.start(command(s, python, scripts, false))) {
            // A few connections served first: the classes and code a connection needs are loaded
            // before the "before" reading, so the difference is the connections' own.
            ConnectRequestClose.p50(server.address(), 0, 20, Duration.ofSeconds(10));
            double heapBefore = server.gc();
            sleep(SETTLE);
            double before = ProcStat.rssBytes(server.pid());
            double heapWith;
            double with;
            try (IdleConnections held = IdleConnections.open(server.address(), count, IDLE_OPEN_LIMIT)) {
                heapWith = server.gc();
                sleep(SETTLE);
                with = ProcStat.rssBytes(server.pid());
            }
            double perConnection = (with - before) / count;
            // Live heap per connection, beside the resident set: how much of it is objects (the
            // rest: thread stacks, heap kept committed after the collection, native buffers).
            double heapPerConnection = (heapWith - heapBefore) / count;
            figures.put(s.name() + " idle bytes", perConnection);
            figures.put(s.name() + " idle heap bytes", heapPerConnection);
            log.printf(Locale.ROOT, "load: %-42s %,d idle connections: %,.0f bytes each (RSS %.0f -> %.0f MB;"
                    + " live heap %,.0f bytes each)%n", s.label(), count, perConnection, before / 1e6, with / 1e6,
                    heapPerConnection);
        } catch (IOException | RuntimeException e) {
            log.println("load: " + s.label() + " idle connections failed (" + e.getMessage() + "); row left out");
        }
    }

    /** The time to open {@code count} connections at once, each served once, against a fresh server. */
    private static void burst(Map<String, Double> figures, Server s, int count, PrintStream log) {
        try (ServerProcess server = ServerProcess.start(command(s, null, null, false))) {
            // A few connections first: the server's accept and echo code is loaded and compiled
            // before the burst, as for the memory rows.
            ConnectRequestClose.p50(server.address(), 0, 20, Duration.ofSeconds(10));
            double nanos = ConnectBurst.nanosToOpen(server.address(), count, BURST_LIMIT);
            figures.put(s.name() + " burst ns", nanos);
            log.printf(Locale.ROOT, "load: %-42s %,d connections at once: all served in %.3f s%n", s.label(), count, nanos / 1e9);
        } catch (IOException | RuntimeException e) {
            log.println("load: " + s.label() + " burst failed (" + e.getMessage() + "); row left out");
        }
    }

    /** Server on CPU 0, client (a JVM of its own) on CPU 1, at {@link Budget#pinned()} connections. */
    private static void pinned(Map<String, Double> figures, Budget budget, CpythonTwins.Interpreter python,
                               Path scripts, PrintStream log) {
        if (Runtime.getRuntime().availableProcessors() < 2 || !tasksetWorks()) {
            log.println("load: pinned pass skipped (needs taskset and 2 CPUs)");
            return;
        }
        for (Server s : PINNED) {
            if (skip(s, python)) {
                continue;
            }
            try (ServerProcess server = ServerProcess.start(command(s, python, scripts, true))) {
                List<String> client = new ArrayList<>(List.of("taskset", "-c", "1"));
                client.addAll(ChildJvm.command(LoadClient.class,
                        Integer.toString(server.address().getPort()), Integer.toString(budget.pinned()),
                        Long.toString(budget.warmup().toMillis()), Long.toString(budget.window().toMillis()),
                        Long.toString(server.pid())));
                Map<String, Double> r = runClient(client, budget);
                double rate = r.getOrDefault("requests", Double.NaN) / r.getOrDefault("seconds", Double.NaN);
                double cpu = r.getOrDefault("cpu", Double.NaN) / r.getOrDefault("requests", Double.NaN);
                String key = "pinned " + s.name() + " " + budget.pinned();
                figures.put(key + " req/s", rate);
                figures.put(key + " cpu", cpu);
                figures.put(key + " p50", r.getOrDefault("p50", Double.NaN));
                figures.put(key + " p99", r.getOrDefault("p99", Double.NaN));
                log.printf(Locale.ROOT, "load: %-42s %3d connections, pinned: %,.0f req/s, p50 %.0f us, server CPU %.2f us/req%n",
                        s.label(), budget.pinned(), rate, r.getOrDefault("p50", Double.NaN) / 1e3, cpu / 1e3);
            } catch (IOException | RuntimeException e) {
                log.println("load: " + s.label() + " pinned failed (" + e.getMessage() + "); row left out");
            }
        }
    }

    private static Map<String, Double> runClient(List<String> command, Budget budget) throws IOException {
        Path out = Files.createTempFile("pyconcurrent-load-client-", ".out");
        try {
            Process client = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                long limit = budget.warmup().toMillis() + budget.window().toMillis() + 60_000;
                if (!client.waitFor(limit, TimeUnit.MILLISECONDS)) {
                    throw new IOException("the client ran over " + limit / 1000 + " s");
                }
                if (client.exitValue() != 0) {
                    throw new IOException("the client failed (exit " + client.exitValue() + ")");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } finally {
                if (client.isAlive()) {
                    client.destroyForcibly();
                    try {
                        client.waitFor(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return CpythonTwins.parse(Files.readAllLines(out, StandardCharsets.UTF_8), bad -> { });
        } finally {
            deleteQuietly(out);
        }
    }

    private static boolean tasksetWorks() {
        try {
            Process p = new ProcessBuilder("taskset", "-c", "0", "true").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The command that starts {@code s}: the toolkit's flags and this class path for a JVM, as Compare's forks get. */
    private static List<String> command(Server s, CpythonTwins.Interpreter python, Path scripts, boolean pinned) {
        List<String> command = new ArrayList<>();
        if (pinned) {
            command.addAll(List.of("taskset", "-c", "0"));
        }
        if (s.python()) {
            command.addAll(List.of(python.command(), "-u", scripts.resolve(SCRIPT).toString(),
                    s.name().substring("cpython-".length())));
        } else {
            command.addAll(ChildJvm.command(LoadServer.class, s.name()));
        }
        return command;
    }

    private static void extractScript(Path dir) throws IOException {
        try (InputStream in = LoadRows.class.getClassLoader().getResourceAsStream(CpythonTwins.RESOURCE_DIR + "/" + SCRIPT)) {
            if (in == null) {
                throw new IOException(SCRIPT + " is not packaged");
            }
            Files.copy(in, dir.resolve(SCRIPT), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void put(Map<String, Double> figures, String key, LoadClient.Result r) {
        figures.put(key + " req/s", r.requestsPerSecond());
        figures.put(key + " cpu", r.serverCpuNanosPerRequest());
        figures.put(key + " p50", r.p50Nanos());
        figures.put(key + " p99", r.p99Nanos());
    }

    /** The table's rows from {@link #measure}'s figures: missing figures show as missing. */
    static List<ComparisonRow> rows(Budget budget, Map<String, Double> f) {
        List<ComparisonRow> rows = new ArrayList<>();
        List<String> passes = new ArrayList<>();
        budget.connections().forEach(n -> passes.add(Integer.toString(n)));
        if (budget.pinned() > 0) {
            passes.add("pinned " + budget.pinned());
        }
        for (String pass : passes) {
            boolean pinned = pass.startsWith("pinned");
            String n = pinned ? pass.substring("pinned ".length()) : pass;
            String tag = String.format(Locale.ROOT, "%s%04d", pinned ? "p" : "", Integer.parseInt(n));
            String what = n + " connections" + (pinned ? " (pinned: server CPU 0, client CPU 1)" : "");
            List<Server> servers = pinned ? PINNED : budget.servers();
            for (String metric : List.of("req/s", "cpu")) {
                String unit = metric.equals("cpu") ? CPU : RATE;
                String title = metric.equals("cpu") ? "server CPU per request" : "throughput";
                String method = (metric.equals("cpu") ? "load2_cpu" : "load1_rate") + tag + "_";
                Measurement netty = m(f, key(pinned, NETTY, n, metric), unit);
                for (Server s : servers) {
                    if (s.python() || s == NETTY || (metric.equals("cpu") && MULTI_PROCESS.contains(s))) {
                        continue; // (a process model's CPU: see MULTI_PROCESS)
                    }
                    // Preforking beside CPython's ForkingTCPServer (the process model it replaces), the rest beside its ThreadingTCPServer.
                    Server twin = s == PREFORKING ? CPY_FORKING : CPY_THREADING;
                    rows.add(new ComparisonRow(CLASS + method + s.name(), s.label() + ", " + title + ", " + what,
                            m(f, key(pinned, s, n, metric), unit), CLASS + method + "netty", netty,
                            twin.label(), m(f, key(pinned, twin, n, metric), unit)));
                }
                for (Server s : List.of(NETTY, CPY_SELECTORS, CPY_FORKING)) {
                    if (servers.contains(s) && !(metric.equals("cpu") && MULTI_PROCESS.contains(s))) {
                        rows.add(new ComparisonRow(CLASS + method + s.name(), s.label() + ", " + title + ", " + what,
                                m(f, key(pinned, s, n, metric), unit), null, null, "", null));
                    }
                }
            }
        }
        if (budget.connectSamples() > 0) {
            Measurement jdk = m(f, JDK_PLATFORM.name() + " connect p50", NanosPerOp.UNIT);
            for (Server s : List.of(THREADING, VIRTUAL, FORKING, PREFORKING)) {
                Server twin = s == FORKING || s == PREFORKING ? CPY_FORKING : CPY_THREADING;
                rows.add(new ComparisonRow(CLASS + "load3_connect_" + s.name(),
                        s.label() + ", connect + request + close, p50 (load client)",
                        m(f, s.name() + " connect p50", NanosPerOp.UNIT), CLASS + "load3_connect_" + JDK_PLATFORM.name(),
                        jdk, twin.label(), m(f, twin.name() + " connect p50", NanosPerOp.UNIT)));
            }
        }
        if (budget.burst() > 0) {
            Measurement netty = m(f, NETTY.name() + " burst ns", NanosPerOp.UNIT);
            String what = String.format(Locale.ROOT, "open %,d connections at once, until each is served once", budget.burst());
            for (Server s : BURST) {
                if (s != NETTY) {
                    rows.add(new ComparisonRow(CLASS + "load5_burst_" + s.name(), s.label() + ", " + what,
                            m(f, s.name() + " burst ns", NanosPerOp.UNIT), CLASS + "load5_burst_netty", netty, "", null));
                }
            }
            rows.add(new ComparisonRow(CLASS + "load5_burst_netty", NETTY.label() + ", " + what, netty, null, null, "", null));
        }
        if (budget.idle() > 0) {
            Measurement netty = m(f, NETTY.name() + " idle bytes", MemoryRows.UNIT);
            Measurement cpython = m(f, CPY_THREADING.name() + " idle bytes", MemoryRows.UNIT);
            String what = String.format(Locale.ROOT, "memory per idle connection (%,d held)", budget.idle());
            for (Server s : MEMORY) {
                if (s == NETTY || s.python()) {
                    continue;
                }
                rows.add(new ComparisonRow(CLASS + "load4_idle_" + s.name(), s.label() + ", " + what,
                        m(f, s.name() + " idle bytes", MemoryRows.UNIT), CLASS + "load4_idle_netty", netty,
                        CPY_THREADING.label(), cpython));
            }
            rows.add(new ComparisonRow(CLASS + "load4_idle_netty", NETTY.label() + ", " + what, netty, null, null, "", null));
        }
        return rows;
    }

    private static String key(boolean pinned, Server s, String n, String metric) {
        return (pinned ? "pinned " : "") + s.name() + " " + n + " " + metric;
    }

    private static Measurement m(Map<String, Double> figures, String key, String unit) {
        Double v = figures.get(key);
        return v == null || v.isNaN() || v.isInfinite() ? null : new Measurement(v, unit);
    }

    /** The figures as {@code key<TAB>value} lines, for the run's {@code load.tsv}. */
    static String tsv(Map<String, Double> figures) {
        StringBuilder out = new StringBuilder("# the load rows' figures: req/s; cpu = server CPU ns per request;"
                + " p50/p99 = latency ns; connect p50 ns; idle (heap) bytes per connection\n");
        figures.forEach((k, v) -> out.append(k).append('\t').append(String.format(Locale.ROOT, "%.1f", v)).append('\n'));
        return out.toString();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temporary file: the system's cleaning takes it
        }
    }
}
