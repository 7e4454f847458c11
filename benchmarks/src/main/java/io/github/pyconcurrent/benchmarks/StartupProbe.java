package io.github.pyconcurrent.benchmarks;

import com.sun.jna.NativeLibrary;
import io.github.pyconcurrent.benchmarks.socketserver.Latencies;
import io.github.pyconcurrent.multiprocessing.Multiprocessing;
import io.github.pyconcurrent.multiprocessing.Pool;
import io.github.pyconcurrent.multiprocessing.Process;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The startup rows' measurements ({@link StartupRows}), each mode in a JVM of its own (the runner
 * starts it with the toolkit's flags through {@link ChildJvm}, since the start method is set once
 * per JVM), printed as {@code key<TAB>value} (ns, or bytes for RSS):
 * <ul>
 * <li>{@code forkserver} (the default start method): after {@value #WARMUP_STARTS} unmeasured start,
 *     {@value #REPEATS} repeats of {@value #STARTS} sequential {@code new Process(noop); start();
 *     join()}, each timed; each repeat's p50 and p95 (nearest rank), the median of the repeats.
 *     Before each repeat (not timed) the forkserver's spares are waited for until warm
 *     ({@link Multiprocessing#warmUp(Duration)}), so every repeat begins alike; within a repeat
 *     the starts follow each other at once, as a program's would. Then {@code new Pool(2);
 *     apply; close(); join()}, one unmeasured round and {@value #REPEATS} timed (median), spares
 *     warm before each; then, spares warm again, the resident set ({@code VmRSS}) of the worker of
 *     a {@code Pool(1)} that ran {@value #APPLIES} applies and idled {@link #SETTLE}.</li>
 * <li>{@code spawn}: the same start + join loop after {@code setStartMethod("spawn")}.</li>
 * <li>{@code hello}: {@code java -cp <dir> io.github.pyconcurrent.benchmarks.Hello}, the same JDK
 *     and no option, {@link Hello} copied from the benchmarks jar into a temporary directory of its
 *     own: one unmeasured run, then {@value #REPEATS} timed from {@code ProcessBuilder.start()} to
 *     {@code waitFor()} (median); its peak RSS is {@code getrusage(RUSAGE_CHILDREN).ru_maxrss} of
 *     this JVM, whose only children are those runs: the largest peak of the runs.</li>
 * </ul>
 * Not a JMH benchmark: each figure is a whole operation timed as a user's program would see it.
 */
public final class StartupProbe {
    static final int WARMUP_STARTS = 1;
    static final int STARTS = 20;
    static final int REPEATS = 5;
    static final int APPLIES = 200;
    static final Duration SETTLE = Duration.ofMillis(500);
    private static final Duration WARM_LIMIT = Duration.ofMinutes(1);
    private static final Duration HELLO_LIMIT = Duration.ofSeconds(60);
    /** {@code getrusage}'s "every child waited for" ({@code sys/resource.h}). */
    private static final int RUSAGE_CHILDREN = -1;
    /** {@code struct rusage} on 64-bit Linux: two {@code timeval}s (2 longs each), then 14 longs. */
    private static final int RUSAGE_LONGS = 18;
    private static final int RU_MAXRSS = 4;

    private StartupProbe() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "";
        switch (mode) {
            case "hello" -> hello();
            case Multiprocessing.FORKSERVER -> {
                startJoin(Multiprocessing.FORKSERVER, StartupRows.FORKSERVER_P50, StartupRows.FORKSERVER_P95);
                pool2();
                idleWorker();
            }
            case Multiprocessing.SPAWN -> startJoin(Multiprocessing.SPAWN, StartupRows.SPAWN_P50, StartupRows.SPAWN_P95);
            default -> {
                System.err.println("usage: StartupProbe hello|forkserver|spawn");
                System.exit(2);
            }
        }
        // The library's shutdown hooks stop the forkserver's spares; nothing else is worth unwinding.
        System.exit(0);
    }

    private static void noop() {
    }

    private static int one() {
        return 1;
    }

    private static void startJoin(String method, String p50Key, String p95Key) {
        Multiprocessing.setStartMethod(method, true);
        for (int i = 0; i < WARMUP_STARTS; i++) {
            startJoinOnce();
        }
        double[] p50 = new double[REPEATS];
        double[] p95 = new double[REPEATS];
        for (int r = 0; r < REPEATS; r++) {
            awaitWarmSpares();
            Latencies samples = new Latencies(STARTS);
            for (int i = 0; i < STARTS; i++) {
                samples.record(startJoinOnce());
            }
            p50[r] = samples.percentile(50);
            p95[r] = samples.percentile(95);
        }
        print(p50Key, Median.of(p50));
        print(p95Key, Median.of(p95));
    }

    /** One {@code new Process(noop); start(); join()}, in ns; the child must have exited 0. */
    private static long startJoinOnce() {
        long start = System.nanoTime();
        Process p = new Process(StartupProbe::noop);
        p.start();
        p.join();
        long took = System.nanoTime() - start;
        if (!Integer.valueOf(0).equals(p.exitCode())) {
            throw new IllegalStateException("a child exited with " + p.exitCode());
        }
        p.close();
        return took;
    }

    private static void pool2() {
        poolRound();   // unmeasured: the pool's classes and threads
        double[] took = new double[REPEATS];
        for (int r = 0; r < REPEATS; r++) {
            awaitWarmSpares();
            took[r] = poolRound();
        }
        print(StartupRows.POOL2, Median.of(took));
    }

    /** One {@code new Pool(2); apply; close(); join()}, in ns. */
    private static long poolRound() {
        long start = System.nanoTime();
        Pool pool = new Pool(2);
        int result = pool.apply(StartupProbe::one);
        pool.close();
        pool.join();
        long took = System.nanoTime() - start;
        if (result != 1) {
            throw new IllegalStateException("apply returned " + result);
        }
        return took;
    }

    private static void idleWorker() throws InterruptedException {
        // Under forkserver a Pool's workers are spares: a warm one (its toolkit classes preloaded),
        // as in a program that has run a while, not one taken mid-warm-up (tens of MB less).
        awaitWarmSpares();
        try (Pool pool = new Pool(1)) {
            for (int i = 0; i < APPLIES; i++) {
                pool.apply(StartupProbe::one);
            }
            // The worker's last task just returned: let it reach its idle wait before reading.
            Thread.sleep(SETTLE);
            print(StartupRows.WORKER_RSS, MemoryProbe.rss(pool.workerPids().get(0)));
        }
    }

    private static void awaitWarmSpares() {
        if (!Multiprocessing.warmUp(WARM_LIMIT)) {
            throw new IllegalStateException("the forkserver's spares were not warm within " + WARM_LIMIT);
        }
    }

    private static void hello() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("pyconcurrent-hello-");
        try {
            String resource = Hello.class.getName().replace('.', '/') + ".class";
            Path file = dir.resolve(resource);
            Files.createDirectories(file.getParent());
            try (InputStream in = Hello.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException(resource + " is not packaged");
                }
                Files.copy(in, file);
            }
            List<String> command = ChildJvm.bare(dir.toString(), Hello.class);
            helloOnce(command);
            double[] took = new double[REPEATS];
            for (int r = 0; r < REPEATS; r++) {
                took[r] = helloOnce(command);
            }
            print(StartupRows.HELLO, Median.of(took));
            print(StartupRows.HELLO_RSS, childrenPeakRss());
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** One whole {@code java -cp dir Hello}, in ns; it must print and exit 0. */
    private static long helloOnce(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        java.lang.Process hello = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!hello.waitFor(HELLO_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            hello.destroyForcibly().waitFor();
            throw new IllegalStateException("java Hello ran over " + HELLO_LIMIT);
        }
        long took = System.nanoTime() - start;
        if (hello.exitValue() != 0) {
            throw new IllegalStateException("java Hello exited with " + hello.exitValue());
        }
        return took;
    }

    /**
     * The largest peak resident set of this JVM's children that have been waited for, in bytes
     * ({@code ru_maxrss} is in KiB on Linux); NaN when {@code getrusage} is not there to ask.
     * Looked up in the process's own symbols: no library search, no child of its own.
     */
    private static double childrenPeakRss() {
        long[] usage = new long[RUSAGE_LONGS];
        try {
            int rc = NativeLibrary.getProcess().getFunction("getrusage").invokeInt(new Object[] {RUSAGE_CHILDREN, usage});
            return rc == 0 ? usage[RU_MAXRSS] * 1024.0 : Double.NaN;
        } catch (UnsatisfiedLinkError e) {
            return Double.NaN;
        }
    }

    private static void print(String key, double value) {
        System.out.printf(Locale.ROOT, "%s\t%.0f%n", key, value);
        System.out.flush();
    }
}
