package io.github.pyconcurrent.multiprocessing;

import io.github.pyconcurrent.shared.ShmRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code "forkserver"} start method: JVMs started ahead of time, which load the toolkit's
 * classes ({@link Warmup}) and wait; {@code start()} hands one its task and a replacement is
 * started in the background. Python forks children from a server process that has imported the
 * preload modules; a JVM cannot fork, so the server is a few spare JVMs.
 *
 * <p>{@value #SPARES_PROPERTY} spares are kept (default {@value #DEFAULT_SPARES}); a spare may be
 * handed out before it has connected (its task waits in its queue), and when none is left a
 * fresh JVM is started for the task at once. Spares are not children that
 * {@link Multiprocessing#activeChildren()} reports; they die with this JVM (its exit hook kills
 * them and sweeps what their warm-up left in {@code /dev/shm}; a SIGKILLed parent's spares die
 * by their parent-death signal).
 */
final class ForkServer {
    static final String SPARES_PROPERTY = "pyconcurrent.forkserver.spares";
    static final int DEFAULT_SPARES = 2;

    private static final ForkServer INSTANCE = new ForkServer();

    private final int target = Math.max(0, Integer.getInteger(SPARES_PROPERTY, DEFAULT_SPARES));
    // Guarded by this.
    private final ArrayDeque<ChildProcess> spares = new ArrayDeque<>();
    private boolean replenishing;
    /** Set by the exit hook: no spare is started after it (it would find no parent to serve). */
    private boolean exiting;
    private boolean hookAdded;

    private ForkServer() {}

    static ForkServer get() {
        return INSTANCE;
    }

    /** A child for a new task: a spare if one is left, else a fresh JVM; then refills in the background. */
    ChildProcess take() {
        ChildProcess child = null;
        synchronized (this) {
            ensureHook();
            while (!spares.isEmpty() && child == null) {
                ChildProcess c = spares.poll();
                if (c.isAlive()) {
                    child = c;
                }
            }
        }
        if (child == null) {
            child = ChildLauncher.get().launch(ChildLauncher.Mode.SPAWN);
        }
        replenish();
        return child;
    }

    /** The pids of the spares now waiting (the toolkit's, not anybody's children). */
    synchronized java.util.Set<Long> sparePids() {
        java.util.Set<Long> pids = new java.util.HashSet<>();
        spares.forEach(c -> pids.add(c.pid));
        return pids;
    }

    /** Starts spares up to the target, in the background. */
    void replenish() {
        synchronized (this) {
            ensureHook();
            if (exiting || replenishing || spares.size() >= target) {
                return;
            }
            replenishing = true;
        }
        ChildLauncher launcher = ChildLauncher.get();
        launcher.onSpawner(() -> {
            try {
                while (true) {
                    synchronized (this) {
                        spares.removeIf(c -> !c.isAlive());
                        if (exiting || spares.size() >= target) {
                            return;
                        }
                    }
                    ChildProcess spare = launcher.launch(ChildLauncher.Mode.SPARE);
                    synchronized (this) {
                        if (exiting) {
                            spare.kill(); // started while the exit hook ran
                            return;
                        }
                        spares.add(spare);
                    }
                }
            } finally {
                synchronized (this) {
                    replenishing = false;
                }
            }
        });
    }

    /**
     * Starts spares up to the target and waits until there are that many, each connected and
     * warm (it said {@code WARM}), polling every few milliseconds: for start-up measurements.
     * Returns false if {@code timeout} passed first.
     */
    boolean awaitWarm(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            replenish();
            synchronized (this) {
                if (spares.size() >= target && spares.stream().allMatch(c -> c.isAlive() && c.isWarm())) {
                    return true;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(5);
        }
    }

    private void ensureHook() {
        if (!hookAdded) {
            hookAdded = true;
            // killSpares sweeps with ShmRegistry at exit. Initialise it now: its initialiser adds
            // its own exit hook, which throws "Shutdown in progress" when first run inside one
            // (a program that never touched shared memory printed that trace at every exit, and
            // the spares' warm-up files stayed in /dev/shm).
            ShmRegistry.owned();
            // Posix too (kill(self, 0) is a no-op): mvn exec:java closes its program's class loader
            // before the exit hooks run, and a class first needed there cannot load any more.
            Posix.signal(ProcessHandle.current().pid(), 0);
            Runtime.getRuntime().addShutdownHook(new Thread(this::killSpares, "pyconcurrent-forkserver-exit"));
        }
    }

    private void killSpares() {
        List<ChildProcess> all;
        synchronized (this) {
            exiting = true;
            all = new ArrayList<>(spares);
            spares.clear();
        }
        all.forEach(ChildProcess::kill);
        for (ChildProcess c : all) {
            try {
                c.os.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
        }
        if (!all.isEmpty()) {
            ShmRegistry.sweep(); // a spare killed in its warm-up leaves its throw-away dict file
        }
    }
}
