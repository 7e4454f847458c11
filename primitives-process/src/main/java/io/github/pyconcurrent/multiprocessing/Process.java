package io.github.pyconcurrent.multiprocessing;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An activity run in a separate JVM: Python's {@code multiprocessing.Process}. The target is a
 * {@link SerializableRunnable}, so a lambda works, and everything it captures travels with it;
 * shared objects (Array, Value, process locks, Manager dicts, Queue, Connection) arrive attached
 * to the same shared state.
 *
 * <pre>{@code
 * for (int i = 0; i < 10; i++) {
 *     int n = i;
 *     new Process(() -> System.out.println("say hi " + n)).start();   // Process(target=foo, args=(i,))
 * }
 * // like Python, this JVM waits for its non-daemon children before it exits
 * }</pre>
 *
 * <p>A subclass may override {@link #run()} instead of passing a target; it must be
 * {@link Serializable} (every field it adds travels to the child).
 *
 * <p>How a child starts depends on {@link Multiprocessing#getStartMethod()}: {@code "forkserver"}
 * (the default) hands the task to a warm spare JVM, {@code "spawn"} starts a fresh one. Either
 * way the child runs this JVM's {@code java} with its class path and the toolkit's flags, and
 * inherits stdout and stderr.
 *
 * <p>{@link #exitCode()} follows Python: {@code 0} after {@code run()} returned, {@code 1} after
 * an uncaught exception (whose stack trace the child prints to stderr, as Python's traceback),
 * {@code n} after {@code System.exit(n)}, {@code -N} when killed by signal N ({@link #terminate()}
 * gives -15, {@link #kill()} -9). A child ends only once its other non-daemon threads have ended,
 * as in Python. Non-daemon children keep this JVM alive until they end (Python joins them at
 * exit); daemon children are terminated when this JVM exits. No child outlives this JVM by more
 * than a second, even when it is SIGKILLed.
 *
 * <p>Differences from Python: {@code pid()} of a process not yet started throws (Python's is
 * {@code None}); there is no {@code fork} start method (a JVM cannot fork).
 *
 * <p>Memory consistency: actions before {@code start()} happen-before the target runs (the
 * target is a copy, serialized at {@code start()}); nothing else is shared except through the
 * shared objects the target captured.
 */
public class Process implements Serializable {
    @java.io.Serial
    private static final long serialVersionUID = 1L;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** What the child runs; null when a subclass overrides {@link #run()}. */
    private final SerializableRunnable target;
    /** The process's name. */
    private String name;
    /** Whether the child is terminated at this JVM's exit rather than waited for. */
    private boolean daemon;
    /** The creating process's name, as Python's {@code _parent_name}: the child's {@code parent_process().name}. */
    private final String parentName;

    /** The child once started; null before start and in the child's own copy. */
    private transient volatile ChildProcess child;
    /** For the objects standing for this JVM or its parent: the pid they describe, and its start time. */
    private transient long ownPid;
    private transient long ownStartTicks;
    private transient boolean closed;

    /**
     * A process that runs {@code target}, named {@code Process-N}.
     *
     * @param target what the child runs; it and what it captures must be serializable (null:
     *     nothing)
     */
    public Process(SerializableRunnable target) {
        this(null, target);
    }

    /**
     * A process named {@code name} (null: {@code Process-N}) that runs {@code target}.
     *
     * @param name the process's name; null for {@code Process-N}
     * @param target what the child runs; it and what it captures must be serializable (null:
     *     nothing)
     */
    public Process(String name, SerializableRunnable target) {
        this.target = target;
        this.name = name != null ? name : Multiprocessing.nextChildName(COUNTER.incrementAndGet());
        Process creator = Multiprocessing.currentProcess(); // null only while Multiprocessing initialises
        this.parentName = creator == null ? "MainProcess" : creator.name();
    }

    /** For subclasses that override {@link #run()}. */
    protected Process() {
        this(null, null);
    }

    /**
     * For subclasses that override {@link #run()}, with a name.
     *
     * @param name the process's name; null for {@code Process-N}
     */
    protected Process(String name) {
        this(name, null);
    }

    /** As Java serialization restores one (no constructor runs, transient fields zero): {@code Serial}'s fast path for this exact class. */
    private Process(SerializableRunnable target, String name, boolean daemon, String parentName) {
        this.target = target;
        this.name = name;
        this.daemon = daemon;
        this.parentName = parentName;
    }

    static Process restored(SerializableRunnable target, String name, boolean daemon, String parentName) {
        return new Process(target, name, daemon, parentName);
    }

    /** What this process runs; null for a subclass that overrides {@link #run()}. */
    SerializableRunnable target() {
        return target;
    }

    static Process describing(String name, long pid) {
        Process p = new Process(name, null);
        p.ownPid = pid;
        p.ownStartTicks = io.github.pyconcurrent.shared.internal.ProcessIdentity.startTicks(pid);
        return p;
    }

    /**
     * Makes this object, deserialized in the child JVM, stand for that JVM (its
     * {@code current_process()}): {@link #pid()} is this JVM's, {@link #isAlive()} true.
     */
    void bindToThisJvm() {
        ownPid = ProcessHandle.current().pid();
    }

    String parentName() {
        return parentName;
    }

    static Process poolWorker() {
        return describing("PoolWorker-" + ProcessHandle.current().pid(), ProcessHandle.current().pid());
    }

    /**
     * What the child runs: the target, unless a subclass overrides this. Runs in the child JVM.
     *
     * @throws Exception anything: the child prints it and exits with code 1, as Python's
     */
    public void run() throws Exception {
        if (target != null) {
            target.run();
        }
    }

    /**
     * Starts the child; at most once. Returns once the child JVM exists, before the target runs.
     * The first start in this JVM (and the first after a child failed to start) also waits until
     * the child has connected, so that a child JVM that cannot start (a class path without this
     * toolkit, a bad option) fails here with {@link IllegalStateException} quoting its exit
     * status and command line, and the next {@code start()} tries again.
     */
    public void start() {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("process object is closed");
            }
            if (child != null || ownPid != 0) {
                throw new IllegalStateException("cannot start a process twice");
            }
            if (Multiprocessing.currentProcess().isDaemon()) {
                throw new IllegalStateException("daemonic processes are not allowed to have children");
            }
            byte[] payload = Serial.toBytes(this);
            boolean verify = ChildLauncher.get().mustVerifyStart();
            ChildProcess c = Multiprocessing.useStartMethod().equals(Multiprocessing.SPAWN)
                    ? ChildLauncher.get().launch(ChildLauncher.Mode.SPAWN)
                    : ForkServer.get().take();
            if (verify) {
                c.awaitConnected(); // a child that cannot start fails this start(), naming why
            }
            child = c;
            Multiprocessing.registerChild(this);
            c.send(Channel.Frame.RUN, 0, payload);
            if (!daemon) {
                // Keeps this JVM from exiting before the child ends, as Python joins non-daemon
                // children at exit.
                Thread.ofPlatform().daemon(false).name("pyconcurrent-join-" + c.pid).start(() -> c.exit.join());
            }
        }
    }

    /** Waits until the child ends. */
    public void join() {
        Futures.awaitDone(joinable().exit, null);
    }

    /**
     * Waits at most {@code timeout} for the child to end; returns whether it has ended.
     *
     * @param timeout how long to wait; null waits forever
     * @return true if the child has ended, false if the timeout elapsed first
     * @throws IllegalStateException if this process was not started from this JVM
     */
    public boolean join(Duration timeout) {
        return Futures.awaitDone(joinable().exit, timeout);
    }

    private ChildProcess joinable() {
        if (ownPid != 0) {
            throw new IllegalStateException("can only join a child process");
        }
        ChildProcess c = child;
        if (c == null) {
            throw new IllegalStateException("can only join a started process");
        }
        return c;
    }

    /**
     * Whether the child has started and not yet ended. True for the current process.
     *
     * @return true from {@link #start()} until the child ends (always for the current process);
     *     false before start
     */
    public boolean isAlive() {
        if (ownPid != 0) {
            // By /proc, not ProcessHandle: a zombie is not alive, and a reused pid is not this process.
            return ownPid == ProcessHandle.current().pid()
                    || io.github.pyconcurrent.shared.internal.ProcessIdentity.isAlive((int) ownPid, ownStartTicks);
        }
        ChildProcess c = child;
        return c != null && c.isAlive();
    }

    /**
     * Python's {@code exitcode}: null until the child has ended (see the class comment).
     *
     * @return the exit code once the child has ended, else null
     */
    public Integer exitCode() {
        ChildProcess c = child;
        return c == null ? null : c.exit.getNow(null);
    }

    /**
     * The child's pid (this JVM's, for {@link Multiprocessing#currentProcess()}).
     *
     * @return the child's operating-system pid
     * @throws IllegalStateException if the process has not been started
     */
    public long pid() {
        if (ownPid != 0) {
            return ownPid;
        }
        ChildProcess c = child;
        if (c == null) {
            throw new IllegalStateException("process " + name + " has not been started");
        }
        return c.pid;
    }

    /** Sends SIGTERM (the child's exit code becomes -15); nothing if it has ended. */
    public void terminate() {
        ChildProcess c = child;
        if (c != null) {
            c.terminate();
        }
    }

    /** Sends SIGKILL (the child's exit code becomes -9); nothing if it has ended. */
    public void kill() {
        ChildProcess c = child;
        if (c != null) {
            c.kill();
        }
    }

    /**
     * Releases what this object holds; further use throws {@link IllegalStateException}.
     * Throws {@link IllegalStateException} (Python's ValueError) if the child is still running.
     */
    public synchronized void close() {
        ChildProcess c = child;
        if (c != null && c.isAlive()) {
            throw new IllegalStateException("cannot close a process while it is still running; join or terminate it first");
        }
        closed = true;
        Multiprocessing.unregisterChild(this);
    }

    /**
     * The process's name (Python's {@code name}): for logs only; names need not be unique.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Renames the process in this JVM (Python's {@code name = ...}).
     *
     * @param name the new name
     */
    public void setName(String name) {
        this.name = name;
    }

    /**
     * Python's {@code daemon}: a daemon child is terminated when this JVM exits, instead of being
     * waited for.
     *
     * @return whether this process is a daemon; false by default
     */
    public boolean isDaemon() {
        return daemon;
    }

    /**
     * Python's {@code daemon = ...}; only before {@link #start()}.
     *
     * @param daemon whether the child is terminated at this JVM's exit rather than waited for
     * @throws IllegalStateException if the process has already started
     */
    public void setDaemon(boolean daemon) {
        if (child != null) {
            throw new IllegalStateException("process has already started");
        }
        this.daemon = daemon;
    }

    /** The child, for the pool's and the toolkit's own use. */
    ChildProcess child() {
        return child;
    }

    CompletableFuture<Integer> exitFuture() {
        ChildProcess c = child;
        return c == null ? null : c.exit;
    }

    @Override
    public String toString() {
        ChildProcess c = child;
        String state = ownPid != 0 ? "pid=" + ownPid
                : c == null ? "initial"
                : c.exit.isDone() ? "stopped exitcode=" + c.exit.join() + " pid=" + c.pid
                : "started pid=" + c.pid;
        return "<Process name='" + name + "' " + state + (daemon ? " daemon" : "") + ">";
    }
}
