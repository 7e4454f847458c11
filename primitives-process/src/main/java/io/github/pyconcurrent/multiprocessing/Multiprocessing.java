package io.github.pyconcurrent.multiprocessing;

import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Python's {@code multiprocessing} module functions: the start method, {@code cpu_count()},
 * {@code active_children()}, {@code current_process()}, {@code parent_process()}.
 *
 * <h2>Start methods</h2>
 * <ul>
 *   <li>{@value #FORKSERVER} (the default): a warm spare JVM, started ahead of time with the
 *       toolkit's classes loaded, is handed the task (see {@link #warmUp()}).</li>
 *   <li>{@value #SPAWN}: a fresh JVM per process.</li>
 * </ul>
 * There is no {@code "fork"}: a JVM cannot fork itself. As in Python, the method may be set once,
 * and not after it was used (a process or pool started); {@code force} switches it anyway for
 * processes and pools created from then on.
 *
 * <p>At exit, daemon children are terminated (SIGTERM, then SIGKILL after a second); non-daemon
 * children have kept this JVM alive until they ended, unless {@code System.exit} was called, in
 * which case they are waited for.
 */
public final class Multiprocessing {
    /** The start method that launches a fresh JVM for each child (Python's {@code "spawn"}). */
    public static final String SPAWN = "spawn";
    /**
     * The default start method: each child is a warm spare JVM started ahead (Python's
     * {@code "forkserver"}, without fork).
     */
    public static final String FORKSERVER = "forkserver";

    private static final Object LOCK = new Object();
    // Guarded by LOCK.
    private static String startMethod = FORKSERVER;
    private static boolean startMethodFixed;

    private static final Set<Process> CHILDREN = ConcurrentHashMap.newKeySet();
    private static volatile Process current = Process.describing("MainProcess", ProcessHandle.current().pid());
    private static volatile Process parent;
    private static volatile boolean exitHookAdded;

    private Multiprocessing() {}

    /**
     * Sets the start method, once, before any process or pool used it
     * ({@link IllegalStateException} otherwise).
     *
     * @param method {@link #FORKSERVER} or {@link #SPAWN}
     * @throws IllegalArgumentException if {@code method} is null or not one of them (a JVM cannot
     *     {@code "fork"})
     * @throws IllegalStateException if the start method was already set or used (Python's
     *     {@code RuntimeError})
     */
    public static void setStartMethod(String method) {
        setStartMethod(method, false);
    }

    /**
     * With {@code force}, switches the method even after it was set or used.
     *
     * @param method {@link #FORKSERVER} or {@link #SPAWN}
     * @param force whether to switch even after the method was set or used
     * @throws IllegalArgumentException if {@code method} is null or not one of them (a JVM cannot
     *     {@code "fork"})
     * @throws IllegalStateException if {@code force} is false and the start method was already set
     *     or used
     */
    public static void setStartMethod(String method, boolean force) {
        check(method);
        synchronized (LOCK) {
            if (startMethodFixed && !force) {
                throw new IllegalStateException("context has already been set (start method '" + startMethod + "')");
            }
            startMethod = method;
            startMethodFixed = true;
        }
    }

    /**
     * The start method new processes and pools use.
     *
     * @return {@link #FORKSERVER} (the default) or {@link #SPAWN}
     */
    public static String getStartMethod() {
        synchronized (LOCK) {
            return startMethod;
        }
    }

    /**
     * The start methods this platform has, the default first.
     *
     * @return {@link #FORKSERVER} and {@link #SPAWN}, in that order
     */
    public static List<String> getAllStartMethods() {
        return List.of(FORKSERVER, SPAWN);
    }

    /**
     * Starts the forkserver's spare JVMs now rather than at the first {@code start()}, so the first
     * process or pool starts warm. Nothing if the start method is {@value #SPAWN}.
     */
    public static void warmUp() {
        if (getStartMethod().equals(FORKSERVER)) {
            ForkServer.get().replenish();
        }
    }

    /**
     * As {@link #warmUp()}, then waits until every spare has connected and finished loading the
     * toolkit's classes, so that the next {@code start()} gets a fully warm JVM: for measuring
     * start-up (the benchmarks do) or for a latency-sensitive first task. Returns whether they
     * were warm within {@code timeout}; true at once under {@value #SPAWN}. Beyond CPython.
     *
     * @param timeout how long to wait for the spares; null waits forever
     * @return true if every spare was warm in time (always under {@value #SPAWN}), false otherwise
     * @throws io.github.pyconcurrent.threading.UncheckedInterruptedException if the thread is
     *     interrupted while it waits (the flag is set again)
     */
    public static boolean warmUp(Duration timeout) {
        if (!getStartMethod().equals(FORKSERVER)) {
            return true;
        }
        try {
            return ForkServer.get().awaitWarm(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedInterruptedException(e);
        }
    }

    /**
     * Python's {@code os.cpu_count()}: the processors this JVM may use.
     *
     * @return how many processors the JVM may use, at least 1
     */
    public static int cpuCount() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * The started children of this JVM that are still alive; ended ones are forgotten, as Python's
     * reaping.
     *
     * @return a new list of the children started from this JVM that are alive now
     */
    public static List<Process> activeChildren() {
        List<Process> alive = new ArrayList<>();
        for (Process p : CHILDREN) {
            if (p.isAlive()) {
                alive.add(p);
            } else {
                CHILDREN.remove(p);
            }
        }
        return alive;
    }

    /**
     * This JVM's {@link Process}: {@code MainProcess} in the main JVM, the running process object
     * in a child.
     *
     * @return the process object of this JVM, never null
     */
    public static Process currentProcess() {
        return current;
    }

    /**
     * The parent JVM's {@link Process} in a child, or null in the main JVM (Python's None).
     *
     * @return the parent JVM's process object, or null in the main JVM
     */
    public static Process parentProcess() {
        return parent;
    }

    static String useStartMethod() {
        synchronized (LOCK) {
            startMethodFixed = true;
            return startMethod;
        }
    }

    static String nextChildName(int n) {
        Process me = current;
        String myName = me == null ? "MainProcess" : me.name();
        if (parent == null || !myName.startsWith("Process-")) {
            return "Process-" + (parent == null ? "" : ProcessHandle.current().pid() + ":") + n;
        }
        return myName + ":" + n;
    }

    static void initChild(long parentPid) {
        parent = Process.describing("MainProcess", parentPid);
    }

    /** In a child JVM: {@code p} is this JVM's process object; its creator's name is the parent's. */
    static void setCurrentProcess(Process p) {
        p.bindToThisJvm();
        current = p;
        Process par = parent;
        if (par != null) {
            parent = Process.describing(p.parentName(), par.pid());
        }
    }

    static void registerChild(Process p) {
        CHILDREN.add(p);
        if (!exitHookAdded) {
            synchronized (LOCK) {
                if (!exitHookAdded) {
                    exitHookAdded = true;
                    Runtime.getRuntime().addShutdownHook(new Thread(Multiprocessing::atExit, "pyconcurrent-children-exit"));
                }
            }
        }
    }

    static void unregisterChild(Process p) {
        CHILDREN.remove(p);
    }

    private static void check(String method) {
        if (method == null) {
            throw new IllegalArgumentException("the start method is null; the start methods are " + getAllStartMethods()
                    + " (for Python's set_start_method(None, force=True), the default: setStartMethod(\""
                    + getAllStartMethods().getFirst() + "\", true))");
        }
        if (!getAllStartMethods().contains(method)) {
            throw new IllegalArgumentException("cannot find context for '" + method + "'"
                    + (method.equals("fork") ? ": a JVM cannot fork; use 'forkserver' (warm spare JVMs)" : "")
                    + "; the start methods are " + getAllStartMethods());
        }
    }

    /** Python's {@code _exit_function}: terminate daemonic children, then join the rest. */
    private static void atExit() {
        List<Process> alive = activeChildren();
        for (Process p : alive) {
            if (p.isDaemon()) {
                p.terminate();
            }
        }
        for (Process p : alive) {
            if (p.isDaemon()) {
                ChildProcess c = p.child();
                try {
                    if (!c.os.waitFor(1, TimeUnit.SECONDS)) {
                        c.kill();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // whoever interrupted this exit sees it
                    return;
                }
            }
        }
        for (Process p : alive) {
            if (!p.isDaemon()) {
                p.join();
            }
        }
    }
}
