package io.github.pyconcurrent.benchmarks;

import io.github.pyconcurrent.gevent.Gevent;
import io.github.pyconcurrent.gevent.GreenletTask;
import io.github.pyconcurrent.greenlet.Greenlet;
import io.github.pyconcurrent.multiprocessing.Multiprocessing;
import io.github.pyconcurrent.multiprocessing.Pool;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * The report's memory rows, measured in a JVM of their own (the runner starts it with the
 * toolkit's flags, {@code MemoryProbe} as main class) and printed as {@code key<TAB>bytes}:
 * <ul>
 * <li>heap per suspended greenlet, per sleeping gevent task, and, as their JDK baseline, per
 *     parked virtual thread: {@value #COUNT} of each made, heap in use after a full GC before and
 *     after, divided by {@value #COUNT};</li>
 * <li>the resident set ({@code VmRSS} of {@code /proc/PID/status}) of one {@code Pool} worker JVM
 *     after its first task, of one forkserver spare once warm, and, as their JDK baseline, of a
 *     bare JVM (this class, argument {@code idle}) that has started and sleeps.</li>
 * </ul>
 * Not a JMH benchmark: a size is one reading, not a rate, and the child JVMs are not JMH's.
 */
public final class MemoryProbe {
    static final int COUNT = 10_000;

    /** The keys printed, each a row: ours, its JDK baseline. */
    static final String GREENLET = "greenlet suspended";
    static final String GEVENT_TASK = "gevent task sleeping";
    static final String VIRTUAL_THREAD = "virtual thread parked";
    static final String POOL_WORKER = "Pool worker JVM RSS";
    static final String SPARE = "forkserver spare JVM RSS";
    static final String IDLE_JVM = "idle JVM RSS";

    /**
     * Everything a measurement made stays reachable until the probe exits: freeing one batch
     * while the next is measured would shrink the heap under it.
     */
    private static final List<Object> KEPT = new ArrayList<>();

    private MemoryProbe() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("idle")) {
            System.out.println("ready");
            System.out.flush();
            Thread.sleep(Duration.ofMinutes(2));
            return;
        }
        print(VIRTUAL_THREAD, perVirtualThread());
        print(GREENLET, perGreenlet());
        print(GEVENT_TASK, perGeventTask());
        print(IDLE_JVM, idleJvmRss());
        Multiprocessing.warmUp(Duration.ofMinutes(1));
        print(SPARE, median(ProcessHandle.current().children().filter(p -> p.info().command()
                .map(c -> c.endsWith("java")).orElse(false)).map(p -> rss(p.pid())).toList()));
        try (Pool pool = new Pool(1)) {
            pool.apply(() -> 1);
            Thread.sleep(500);
            print(POOL_WORKER, rss(pool.workerPids().get(0)));
        }
        System.exit(0);   // the suspended greenlets, tasks and parked threads are not worth unwinding
    }

    private static double perVirtualThread() {
        List<Thread> threads = new ArrayList<>();
        long before = heapAfterGc();
        for (int i = 0; i < COUNT; i++) {
            threads.add(Thread.ofVirtual().start(LockSupport::park));
        }
        while (threads.stream().anyMatch(t -> t.getState() != Thread.State.WAITING)) {
            Thread.onSpinWait();
        }
        KEPT.add(threads);
        return (heapAfterGc() - before) / (double) COUNT;
    }

    private static double perGreenlet() {
        Greenlet main = Greenlet.getcurrent();
        List<Greenlet> greenlets = new ArrayList<>();
        long before = heapAfterGc();
        for (int i = 0; i < COUNT; i++) {
            Greenlet g = new Greenlet(args -> main.switchTo());
            g.switchTo();   // runs until it switches back: suspended mid-body, its stack kept
            greenlets.add(g);
        }
        KEPT.add(greenlets);
        return (heapAfterGc() - before) / (double) COUNT;
    }

    private static double perGeventTask() {
        List<GreenletTask<Void>> tasks = new ArrayList<>();
        long before = heapAfterGc();
        for (int i = 0; i < COUNT; i++) {
            tasks.add(Gevent.spawn(() -> Gevent.sleep(Duration.ofMinutes(10))));
        }
        Gevent.sleep();   // every task runs once, up to its sleep
        KEPT.add(tasks);
        return (heapAfterGc() - before) / (double) COUNT;
    }

    private static double idleJvmRss() throws IOException, InterruptedException {
        Process idle = new ProcessBuilder(ChildJvm.bare(System.getProperty("java.class.path"),
                MemoryProbe.class, "idle")).redirectErrorStream(true).start();
        try {
            idle.getInputStream().read();   // the first byte of "ready"
            Thread.sleep(500);
            return rss(idle.pid());
        } finally {
            idle.destroyForcibly().waitFor();
        }
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** VmRSS of {@code pid} in bytes, or NaN when it cannot be read. */
    static double rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process is gone: no figure
        }
        return Double.NaN;
    }

    private static double median(List<Double> values) {
        List<Double> known = values.stream().filter(v -> !Double.isNaN(v)).sorted().toList();
        return known.isEmpty() ? Double.NaN : known.get(known.size() / 2);
    }

    private static void print(String key, double bytes) {
        System.out.printf(Locale.ROOT, "%s\t%.0f%n", key, bytes);
        System.out.flush();
    }
}
