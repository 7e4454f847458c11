package io.github.pyconcurrent.multiprocessing;

import io.github.pyconcurrent.internal.LazyLogger;
import io.github.pyconcurrent.shared.Manager;
import io.github.pyconcurrent.shared.SharedDict;
import io.github.pyconcurrent.shared.internal.ChronicleInUse;
import java.lang.System.Logger.Level;

/**
 * What a forkserver spare does while it waits for a task: the work every task would otherwise
 * pay for in its first milliseconds. Serialization of a lambda (a spare's first task costs
 * ~21 ms cold and ~1.5 ms once serialization ran), the toolkit's own classes, and Chronicle Map,
 * by opening a throw-away {@code Manager.dict} (attaching a {@code SharedDict} in a fresh JVM
 * costs ~0.5 s).
 *
 * <p>The last step costs a spare about 1.3 s of CPU more (0.8 s without it, 2.1 s with it, to
 * reach {@code WARM}, measured from {@code /proc/PID/stat}) and tens of MB of memory, so a spare
 * takes it only when its parent has itself set Chronicle up before the spare started
 * ({@link ChronicleInUse}): Python's forkserver likewise imports only the modules named by
 * {@code set_forkserver_preload}. The parent's {@value #CHRONICLE_PROPERTY} ({@code true},
 * {@code false}, or {@code auto}, the default) overrides that; a child given
 * {@value #CHRONICLE_PROPERTY}{@code =false} among its own options never takes it.
 *
 * <p>It runs on a daemon thread and stops between steps once a task has arrived. A spare that
 * finished it (every step, or all but the skipped one) tells the parent {@code WARM}, so that
 * {@link Multiprocessing#warmUp(java.time.Duration)} can wait for warm spares.
 */
final class Warmup {
    static final String CHRONICLE_PROPERTY = "pyconcurrent.forkserver.preloadChronicle";
    /** In the {@code WARM} report: the spare preloaded Chronicle Map. */
    static final int CHRONICLE_STEP = 1;
    private static final System.Logger LOG = LazyLogger.of(Warmup.class);
    private static volatile boolean stopped;

    private Warmup() {}

    /**
     * Whether a spare started now should preload Chronicle Map: asked in the parent, the answer
     * travels in the spare's header.
     */
    static boolean preloadsChronicle() {
        String wanted = System.getProperty(CHRONICLE_PROPERTY, "auto");
        return wanted.equalsIgnoreCase("auto") ? ChronicleInUse.marked() : Boolean.parseBoolean(wanted);
    }

    static void start(boolean chronicle) {
        ChildExit.shortNativeCallsOnly(
                Thread.ofPlatform().daemon().name("pyconcurrent-warmup").start(() -> run(chronicle)));
    }

    /**
     * Runs every step on the calling thread, the Chronicle Map one if {@code chronicle}: the
     * {@link ClassDataCache}'s training child.
     */
    static void train(boolean chronicle) {
        steps(chronicle);
    }

    /** Called when the task has arrived: the step in progress finishes, no other starts. */
    static void stop() {
        stopped = true;
    }

    private static void run(boolean chronicle) {
        int steps = steps(chronicle);
        if (!stopped) {
            ChildMain.report(Channel.Frame.WARM, steps);
        }
    }

    /** Returns {@link #CHRONICLE_STEP} if Chronicle Map was preloaded, else 0. */
    private static int steps(boolean chronicle) {
        try {
            // A task's path, as a user's first task takes it: a Process and a pool task whose
            // lambdas are serialized, deserialized and run, and a failure report. Three rounds,
            // so the interpreter's profile is taken. No native call: a spare handed its task at
            // once (a burst of starts) stops after this step and, its task done, ends with
            // Runtime.halt without ever loading JNA (ChildExit does not count this thread).
            for (int round = 0; round < 3 && !stopped; round++) {
                int base = 40;
                Process process = Serial.read(Serial.toBytes(new Process("warm-up", () -> Integer.toString(base))));
                process.run();
                SerializableCallable<Integer> task = () -> base + 2;
                SerializableCallable<Integer> copy = Serial.read(Serial.toBytes(task));
                copy.call();
                Serial.read(Serial.toBytes(new TaskFailure(new IllegalStateException("warm-up"))));
            }
            if (stopped) {
                return 0;
            }
            // libc through JNA: a task that ends while another thread of its own may be in native
            // code ends through Posix._exit (ChildExit); bound here, in idle time, not at that exit.
            Posix.getppid();
            // A lambda capturing a shared object: attached when deserialized.
            io.github.pyconcurrent.shared.Event event = new io.github.pyconcurrent.shared.Event();
            Process withShared = Serial.read(Serial.toBytes(new Process("warm-up", () -> event.set())));
            withShared.run();
            if (stopped) {
                return 0;
            }
            for (String c : new String[] {
                "io.github.pyconcurrent.multiprocessing.Worker",
                "io.github.pyconcurrent.multiprocessing.Process",
                "io.github.pyconcurrent.shared.Lock",
                "io.github.pyconcurrent.shared.RLock",
                "io.github.pyconcurrent.shared.Array",
                "io.github.pyconcurrent.shared.Value",
                "io.github.pyconcurrent.shared.SharedMemory",
            }) {
                Class.forName(c, true, Warmup.class.getClassLoader());
            }
            // "false" among the child's own options; a parent's -D (passed on) may say "auto" or "true"
            if (stopped || !chronicle || "false".equalsIgnoreCase(System.getProperty(CHRONICLE_PROPERTY))) {
                return 0;
            }
            try (Manager manager = Manager.start()) {
                SharedDict<String, Integer> d = manager.dict(String.class, Integer.class);
                d.put("warm", 1);
                d.merge("warm", 1, Integer::sum);
                d.get("warm");
                // Attaching (reading an existing file's header) is another path than creating:
                // it is what a task capturing a user's dict takes.
                for (int round = 0; round < 2 && !stopped; round++) {
                    SharedDict<String, Integer> attached = Serial.read(Serial.toBytes(d));
                    attached.get("warm");
                    attached.close();
                }
            }
            return CHRONICLE_STEP;
        } catch (Throwable t) {
            LOG.log(Level.DEBUG, "a forkserver spare's warm-up step failed; the task runs cold", t);
            return 0;
        }
    }
}
