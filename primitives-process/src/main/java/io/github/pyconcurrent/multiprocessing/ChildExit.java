package io.github.pyconcurrent.multiprocessing;

import io.github.pyconcurrent.internal.LazyLogger;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * How a child JVM ends once its work is done: {@code System.exit}, so that shutdown hooks run
 * (the user's, the exit report to the parent, the removal of shared-memory files this JVM
 * created), then {@code _exit} with the same status instead of the JVM's own tear-down. That is
 * what CPython's children do: their clean-up ({@code util._exit_function}), then
 * {@code os._exit(code)}.
 *
 * <p>Why: after the last hook, HotSpot's exit waits up to 300 ms for threads still in native code
 * — a worker's main thread blocked reading its channel when SIGTERM arrives, a user's thread in a
 * blocking read — before it calls {@code exit_group} (see {@link Lifeline}). {@code _exit} runs
 * from the last system shutdown slot, after every application hook has finished and
 * {@code deleteOnExit} files are gone; it is registered through {@code java.lang.Shutdown} (open
 * to this toolkit through the {@code --add-opens java.base/java.lang} every child JVM gets).
 * If that registration fails, or the exit status is not known here (user code called
 * {@code System.exit} itself), the JVM ends the usual way: slower, never wrong.
 *
 * <p>{@link #exit} takes {@code System.exit}'s steps itself ({@code java.lang.Shutdown.exit}'s,
 * through method handles: the JFR shutdown event, the hooks, under the same lock) without its first
 * one, JDK 21's exit logging: asking whether the {@code java.lang.Runtime} logger is enabled
 * starts the JDK's logging, whose search for a backend opens every jar of the class path
 * (-Xlog:class+load of a spawned child: ~27 ms between its target's return and its exit, at load
 * ~6). A child whose own code calls {@code System.exit} takes the JDK's path, logging included.
 *
 * <p>A child that never bound libc (a {@link PreArmedLaunch} child whose target made no native
 * call) ends with {@code Runtime.halt} instead, which is as quick when no thread is in native
 * code, and binding libc just for {@code _exit} would cost it more than the whole exit.
 */
final class ChildExit {
    private static final System.Logger LOG = LazyLogger.of(ChildExit.class);
    /** {@code java.lang.Shutdown}'s last slot (it has 10: console, application hooks, deleteOnExit, ...). */
    private static final int LAST_SHUTDOWN_SLOT = 9;
    private static final int UNKNOWN = Integer.MIN_VALUE;

    /** The status this child is exiting with, when it is this class that asked first. */
    private static final java.util.concurrent.atomic.AtomicInteger STATUS = new java.util.concurrent.atomic.AtomicInteger(UNKNOWN);

    /**
     * Set by {@link Posix} once its methods are bound to libc (reading a field of {@code Posix}
     * would bind them): {@code _exit} is then cheap.
     */
    static volatile boolean libcBound;

    /**
     * {@code Shutdown.beforeHalt()} and {@code Shutdown.shutdown()} (the hooks, under the class's
     * lock), or null when they cannot be reached: then {@link #exit} is {@code System.exit}.
     */
    private static final MethodHandle BEFORE_HALT;
    private static final MethodHandle RUN_HOOKS;
    private static final Class<?> SHUTDOWN;

    static {
        Class<?> shutdown = null;
        MethodHandle beforeHalt = null;
        MethodHandle runHooks = null;
        try {
            shutdown = Class.forName("java.lang.Shutdown");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(shutdown, MethodHandles.lookup());
            beforeHalt = lookup.findStatic(shutdown, "beforeHalt", MethodType.methodType(void.class));
            runHooks = lookup.findStatic(shutdown, "shutdown", MethodType.methodType(void.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            beforeHalt = null;
            runHooks = null;
        }
        SHUTDOWN = shutdown;
        BEFORE_HALT = beforeHalt;
        RUN_HOOKS = runHooks;
    }

    private ChildExit() {}

    /** Registers the last shutdown step: let the lifeline go, then {@code _exit} when the status is known. */
    static void install() {
        try {
            // A method handle invoked exactly, not Method.invoke: core reflection's first call spins
            // method-handle classes for its spreading adapter (-Xlog:class+load: six
            // LambdaForm$MH classes, ~10 ms of a spawn child's start); this shape is archived.
            Class<?> shutdown = Class.forName("java.lang.Shutdown");
            MethodHandle add = MethodHandles.privateLookupIn(shutdown, MethodHandles.lookup()).findStatic(
                    shutdown, "add", MethodType.methodType(void.class, int.class, boolean.class, Runnable.class));
            add.invokeExact(LAST_SHUTDOWN_SLOT, false, (Runnable) ChildExit::last);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) { // invokeExact is declared to throw anything
            // The usual exit still releases the lifeline: from an application hook.
            LOG.log(Level.DEBUG, "no last shutdown slot; the child exits the JVM's own way", e);
            Runtime.getRuntime().addShutdownHook(new Thread(Lifeline::release, "pyconcurrent-lifeline-release"));
        }
    }

    /** {@code System.exit(code)}, ending with {@code _exit(code)} once the hooks have run. */
    static void exit(int code) {
        // A second exit blocks in System.exit (on the lock the first holds): the first one's status stands.
        if (STATUS.compareAndSet(UNKNOWN, code) && RUN_HOOKS != null) {
            try {
                synchronized (SHUTDOWN) { // what Shutdown.exit holds from here to the halt
                    BEFORE_HALT.invokeExact();
                    RUN_HOOKS.invokeExact(); // the last hook ends the JVM with the status set above
                }
            } catch (Error e) {
                throw e;
            } catch (Throwable e) { // invokeExact is declared to throw anything
                LOG.log(Level.DEBUG, "the hooks could not be run directly; the child exits through System.exit", e);
            }
        }
        System.exit(code);
    }

    private static void last() {
        Lifeline.release();
        int code = STATUS.get();
        if (code != UNKNOWN) {
            System.out.flush();
            System.err.flush();
            if (libcBound || anotherThreadMayBeInNative()) {
                Posix.exitNow(code);
            }
            // No thread of ours can hold the JVM's exit: halt is as quick as _exit, and binding
            // libc just for _exit would cost a child that never needed it (see PreArmedLaunch).
            Runtime.getRuntime().halt(code);
        }
    }

    /**
     * Whether a platform thread other than this one and the JDK's own may be in native code: its
     * state is RUNNABLE (a thread blocked in a native read or accept is). Such a thread would make
     * {@code Runtime.halt} wait up to 300 ms, so {@code _exit} is used then. The toolkit's warm-up
     * threads ({@link #shortNativeCallsOnly}) do not count: halt waits only until a native call
     * returns, and theirs are short, so a task that ended while one ran need not load JNA to exit.
     */
    private static boolean anotherThreadMayBeInNative() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n = root.enumerate(threads, true);
        Thread me = Thread.currentThread();
        for (int i = 0; i < n; i++) {
            Thread t = threads[i];
            if (t != me && t.getState() == Thread.State.RUNNABLE && !JDK_THREADS.contains(t.getName())
                    && !t.getName().equals(Lifeline.THREAD_NAME) // released above: out of its read
                    && !SHORT_NATIVE_CALLS.contains(t)) {
                return true;
            }
        }
        return false;
    }

    /** Threads of the toolkit whose native calls are all short (class files, mappings, futex wakes). */
    private static final java.util.Set<Thread> SHORT_NATIVE_CALLS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Marks {@code thread} (started, of this toolkit) as one that never blocks in native code:
     * a spare's or a worker's warm-up. Returns it.
     */
    static Thread shortNativeCallsOnly(Thread thread) {
        SHORT_NATIVE_CALLS.add(thread);
        return thread;
    }

    /** The JDK's own threads that are RUNNABLE while they wait, in no native call of the kind that holds an exit. */
    private static final java.util.Set<String> JDK_THREADS =
            java.util.Set.of("Signal Dispatcher", "Reference Handler", "Notification Thread", "Attach Listener", "DestroyJavaVM");
}
