package io.github.pyconcurrent.multiprocessing;

import io.github.pyconcurrent.shared.internal.ShmRegistry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The {@code "forkserver"} start method: JVMs started ahead of time, which load the toolkit's
 * classes ({@link Warmup}) and wait; {@code start()} hands one its task and a replacement is
 * started in the background. Python forks children from a server process that has imported the
 * preload modules; a JVM cannot fork, so the server is a few spare JVMs.
 *
 * <h2>How many spares</h2>
 * The count follows demand: it starts at {@value #SPARES_PROPERTY} (default
 * {@value #DEFAULT_SPARES}); each {@link #take()} that finds no connected spare (starts outpacing
 * boots) raises it by one, up to {@value #MAX_SPARES_PROPERTY} (default twice
 * {@link Multiprocessing#cpuCount()}); after {@value #IDLE_PROPERTY} seconds without a take
 * (default {@value #DEFAULT_IDLE_SECONDS}) it falls by one a period, and the spare above it is let
 * go, down to the first figure. A spare may be handed out before it has connected (its task waits
 * in its queue); when none is left a fresh JVM is started for the task at once.
 *
 * <h2>When spares are replaced</h2>
 * {@value #REFILL_DELAY_PROPERTY} milliseconds (default {@value #DEFAULT_REFILL_DELAY_MILLIS}; 0:
 * at once) after a {@link #take()}: a JVM's boot is several hundred ms of CPU on two or three
 * threads, and replacements booted at once compete with the children just handed their tasks,
 * when the caller is waiting for them. Measured with {@code new Pool(2); apply; close(); join()}
 * on a 2-core machine (10 rounds each, 3 alternated pairs, load 14-18): median 352/420/405 ms
 * with the refill at once, 184/235/257 ms with it 250 ms later; 20 sequential
 * {@code start(); join()} were not measurably different (boot-bound either way).
 * A take that found no connected spare (starts outpacing boots) and
 * {@link #awaitWarm(Duration)} refill at once.
 *
 * <h2>Children that cannot start</h2>
 * After {@value ChildLauncher#FAILURES_TO_WARN} children in a row ended before they connected (a wrong class
 * path, a bad JVM option), no spare is started and one WARNING says why; the next
 * {@code start()} tries once more, with a fresh JVM, and fails with the child's error if it too
 * cannot start ({@link ChildLauncher#mustVerifyStart()}).
 *
 * <p>Spares are not children that {@link Multiprocessing#activeChildren()} reports; they die with
 * this JVM (its exit hook kills them and sweeps what their warm-up left in {@code /dev/shm}; a
 * SIGKILLed parent's spares die by their parent-death signal).
 */
final class ForkServer {
    static final String SPARES_PROPERTY = "pyconcurrent.forkserver.spares";
    static final String MAX_SPARES_PROPERTY = "pyconcurrent.forkserver.maxSpares";
    static final String IDLE_PROPERTY = "pyconcurrent.forkserver.idleSeconds";
    static final int DEFAULT_SPARES = 2;
    static final int DEFAULT_IDLE_SECONDS = 30;
    static final String REFILL_DELAY_PROPERTY = "pyconcurrent.forkserver.refillDelayMillis";
    static final int DEFAULT_REFILL_DELAY_MILLIS = 200;
    private static final System.Logger LOG = System.getLogger(ForkServer.class.getName());

    private static final ForkServer INSTANCE = new ForkServer();

    private final int minimum = Math.max(0, Integer.getInteger(SPARES_PROPERTY, DEFAULT_SPARES));
    private final int maximum = Math.max(minimum, Integer.getInteger(MAX_SPARES_PROPERTY, 2 * Multiprocessing.cpuCount()));
    private final long refillDelayMillis = Math.max(0, Integer.getInteger(REFILL_DELAY_PROPERTY, DEFAULT_REFILL_DELAY_MILLIS));
    private final long idleNanos = TimeUnit.SECONDS.toNanos(Math.max(1, Integer.getInteger(IDLE_PROPERTY, DEFAULT_IDLE_SECONDS)));

    // Guarded by this.
    private final ArrayDeque<ChildProcess> spares = new ArrayDeque<>();
    /** How many spares to keep now: between minimum and maximum. */
    private int target = minimum;
    private long lastTake = System.nanoTime();
    private boolean replenishing;
    /** Set by the exit hook: no spare is started after it (it would find no parent to serve). */
    private boolean exiting;
    private boolean started;
    /** Runs the idle shrink and the deferred refills; set by startOnce. */
    private ScheduledExecutorService timer;

    private ForkServer() {}

    static ForkServer get() {
        return INSTANCE;
    }

    /** A child for a new task: a spare if one is left, else a fresh JVM; then refills in the background. */
    ChildProcess take() {
        ChildProcess child = null;
        boolean outpaced = false;
        synchronized (this) {
            startOnce();
            lastTake = System.nanoTime();
            spares.removeIf(c -> !c.isAlive());
            for (ChildProcess c : spares) {
                if (c.connected.isDone() && !c.connected.isCompletedExceptionally()) {
                    child = c;
                    break;
                }
            }
            if (child == null) {
                target = Math.min(maximum, target + 1); // starts outpace boots
                outpaced = true;
                child = spares.peekFirst();
            }
            spares.remove(child);
        }
        if (child == null) {
            child = ChildLauncher.get().launch(ChildLauncher.Mode.SPAWN);
        }
        if (refillDelayMillis > 0 && !outpaced) {
            timer.schedule(this::replenish, refillDelayMillis, TimeUnit.MILLISECONDS);
        } else {
            replenish();
        }
        return child;
    }

    /** The pids of the spares now waiting (the toolkit's, not anybody's children). */
    synchronized java.util.Set<Long> sparePids() {
        java.util.Set<Long> pids = new java.util.HashSet<>();
        spares.forEach(c -> pids.add(c.pid));
        return pids;
    }

    /** What each waiting spare's warm-up took ({@link Warmup#CHRONICLE_STEP}), -1 while it warms: for tests. */
    synchronized java.util.List<Integer> warmSteps() {
        return spares.stream().map(c -> c.warmed.getNow(-1)).toList();
    }

    /** How many spares are kept now (for tests and monitoring). */
    synchronized int target() {
        return target;
    }

    /** Starts spares up to the target, in the background. */
    void replenish() {
        ChildLauncher launcher = ChildLauncher.get();
        synchronized (this) {
            startOnce();
            if (exiting || replenishing || spares.size() >= target || stoppedByFailures(launcher)) {
                return;
            }
            replenishing = true;
        }
        launcher.onSpawner(() -> {
            try {
                while (true) {
                    synchronized (this) {
                        spares.removeIf(c -> !c.isAlive());
                        if (exiting || spares.size() >= target || stoppedByFailures(launcher)) {
                            return;
                        }
                    }
                    boolean verify = launcher.mustVerifyStart();
                    ChildProcess spare = launcher.launch(ChildLauncher.Mode.SPARE);
                    synchronized (this) {
                        if (exiting) {
                            spare.kill(); // started while the exit hook ran
                            return;
                        }
                        spares.add(spare);
                    }
                    // awaitWarm waits for these, not on a timer
                    spare.warmed.thenRun(this::sparesChanged);
                    spare.exit.thenRun(this::sparesChanged);
                    if (verify) {
                        // Until a child is seen to start, one at a time: a command line that
                        // cannot work must cost a few JVMs, not a spare count's worth per round.
                        spare.connected.exceptionally(e -> null).join();
                    }
                }
            } finally {
                synchronized (this) {
                    replenishing = false;
                }
            }
        });
    }

    /** Whether children keep failing to start (the launcher logs the streak's WARNING). */
    private static boolean stoppedByFailures(ChildLauncher launcher) {
        return launcher.failuresInARow() >= ChildLauncher.FAILURES_TO_WARN;
    }

    /**
     * Starts spares up to the target and waits until there are that many, each connected and
     * warm (it said {@code WARM}): for start-up measurements. Woken by each spare's warm-up or
     * end. Returns false if {@code timeout} passed first.
     */
    boolean awaitWarm(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                replenish();
                if (spares.size() >= target && spares.stream().allMatch(c -> c.isAlive() && c.isWarm())) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    private synchronized void sparesChanged() {
        notifyAll();
    }

    /** After an idle period: one spare fewer, down to the minimum. */
    private void shrinkIfIdle() {
        ChildProcess surplus = null;
        synchronized (this) {
            if (exiting || target <= minimum || System.nanoTime() - lastTake < idleNanos) {
                return;
            }
            target--;
            if (spares.size() > target) {
                surplus = spares.pollLast();
            }
        }
        if (surplus != null) {
            // SIGTERM: its exit hooks remove what its warm-up made in /dev/shm; a spare that
            // could not run them (killed in a hook) leaves it to the sweep.
            surplus.terminate();
            surplus.exit.thenRun(ShmRegistry::sweep);
        }
    }

    /** Caller holds this. */
    private void startOnce() {
        if (!started) {
            started = true;
            // killSpares sweeps with ShmRegistry at exit. Initialise it now: its initialiser adds
            // its own exit hook, which throws "Shutdown in progress" when first run inside one
            // (a program that never touched shared memory printed that trace at every exit, and
            // the spares' warm-up files stayed in /dev/shm).
            ShmRegistry.owned();
            // Posix too (kill(self, 0) is a no-op): mvn exec:java closes its program's class loader
            // before the exit hooks run, and a class first needed there cannot load any more.
            Posix.signal(ProcessHandle.current().pid(), 0);
            Runtime.getRuntime().addShutdownHook(new Thread(this::killSpares, "pyconcurrent-forkserver-exit"));
            ScheduledExecutorService idle = new ScheduledThreadPoolExecutor(1,
                    r -> Thread.ofPlatform().daemon().name("pyconcurrent-forkserver-idle").unstarted(r));
            timer = idle;
            idle.scheduleWithFixedDelay(this::shrinkIfIdle, idleNanos, idleNanos, TimeUnit.NANOSECONDS);
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
                Thread.currentThread().interrupt(); // the caller's to see; the sweep below still runs
                break;
            }
        }
        if (!all.isEmpty()) {
            ShmRegistry.sweep(); // a spare killed in its warm-up leaves its throw-away dict file
        }
    }
}
