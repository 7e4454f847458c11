package io.github.pyconcurrent.threading;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The module-level functions of Python's {@code threading}: {@link #activeCount()},
 * {@link #enumerate()}, {@link #currentThread()}, {@link #mainThread()}, {@link #getIdent()},
 * {@link #getNativeId()} and the {@link #excepthook()}.
 *
 * <pre>{@code
 * Thread me = Threading.currentThread();            // Python: threading.current_thread()
 * for (Thread t : Threading.enumerate()) { ... }    // Python: threading.enumerate()
 * Threading.setExcepthook((thread, error) -> log(thread.name(), error));
 * }</pre>
 *
 * <p><b>The registry.</b> A {@link Thread} of this package is listed from {@code start()} until its
 * {@code run()} has returned (strongly held only for that time). The main thread is listed while
 * it is alive. A Java thread not created by this package (a pool worker, a virtual thread...) is
 * listed, as a "dummy" entry named {@code Dummy-N}, once it has called {@link #currentThread()},
 * exactly as CPython does for threads it did not start. A dummy entry is owned by its Java thread
 * (a thread-local), so it goes away with it: the registry holds it only weakly.
 *
 * <p><b>Differences from Python:</b> {@code excepthook} receives the thread and the exception
 * rather than Python's {@code ExceptHookArgs}; the main thread is the JVM's {@code main} thread,
 * named {@code MainThread} here as in Python.
 */
public final class Threading {

    /** Python's {@code threading.excepthook}: receives what escaped a thread's {@code run()}. */
    @FunctionalInterface
    public interface ExceptHook {
        /**
         * Handles {@code exception}, which escaped {@code thread}'s {@code run()}.
         *
         * @param thread the thread whose {@code run()} threw
         * @param exception what it threw
         */
        void handle(Thread thread, Throwable exception);
    }

    /**
     * The default hook (Python's {@code threading.__excepthook__}): prints
     * {@code Exception in thread NAME:} and the stack trace to {@code System.err}.
     */
    public static final ExceptHook DEFAULT_EXCEPTHOOK = (thread, exception) -> {
        PrintStream err = System.err;
        synchronized (err) {
            err.println("Exception in thread " + thread.name() + ":");
            exception.printStackTrace(err);
        }
    };

    private static volatile ExceptHook excepthook = DEFAULT_EXCEPTHOOK;

    /** The entry of the calling thread: set on first use (dummies, main) or by bootstrap (ours). */
    private static final ThreadLocal<Thread> CURRENT = new ThreadLocal<>();
    /** Started, unfinished threads of this package. */
    private static final Set<Thread> RUNNING = ConcurrentHashMap.newKeySet();
    /** Dummy entries, weakly: each is held strongly only by its own Java thread's CURRENT. */
    private static final Map<Thread, Boolean> DUMMIES = Collections.synchronizedMap(new WeakHashMap<>());
    private static final AtomicInteger DUMMY_COUNTER = new AtomicInteger();

    private Threading() {}

    /** Python's {@code _MainThread}. */
    static final class MainThread extends Thread {
        MainThread(java.lang.Thread javaThread) {
            super(javaThread, "MainThread", true);
        }

        @Override
        boolean isForeign() {
            return true;
        }
    }

    /** Python's {@code _DummyThread}: a Java thread not started by this package. */
    static final class DummyThread extends Thread {
        DummyThread(java.lang.Thread javaThread) {
            super(javaThread, "Dummy-" + DUMMY_COUNTER.incrementAndGet(), true);
        }

        @Override
        boolean isForeign() {
            return true;
        }
    }

    /** Holder idiom: the main thread is looked up once, on first use. */
    private static final class Main {
        static final MainThread MAIN = new MainThread(findMainJavaThread());

        private static java.lang.Thread findMainJavaThread() {
            // The launcher's thread is named "main" and is the oldest such (HotSpot: id 1). Walk
            // the platform threads from the root group: cheaper than getAllStackTraces().
            ThreadGroup root = java.lang.Thread.currentThread().getThreadGroup();
            while (root != null && root.getParent() != null) {
                root = root.getParent();
            }
            java.lang.Thread best = null;
            java.lang.Thread current = java.lang.Thread.currentThread();
            if ("main".equals(current.getName()) && !current.isVirtual()) {
                best = current;
            }
            if (root != null) {
                java.lang.Thread[] all = new java.lang.Thread[root.activeCount() * 2 + 16];
                int n = root.enumerate(all, true);
                for (int i = 0; i < n; i++) {
                    java.lang.Thread t = all[i];
                    if ("main".equals(t.getName()) && (best == null || t.threadId() < best.threadId())) {
                        best = t;
                    }
                }
            }
            // No "main" thread (it ended, or an embedding host has none): the first thread to ask.
            return best != null ? best : current;
        }
    }

    /**
     * Python's {@code threading.current_thread()}: the calling thread's entry (a dummy for foreign Java threads).
     *
     * @return the calling thread's entry
     */
    public static Thread currentThread() {
        Thread t = CURRENT.get();
        return t != null ? t : bindForeign();
    }

    private static Thread bindForeign() {
        java.lang.Thread jt = java.lang.Thread.currentThread();
        Thread entry;
        if (jt == Main.MAIN.javaThread()) {
            entry = Main.MAIN;
        } else {
            entry = new DummyThread(jt);
            DUMMIES.put(entry, Boolean.TRUE);
        }
        entry.publishNativeId(NativeThreadId.current());
        CURRENT.set(entry);
        return entry;
    }

    /**
     * Python's {@code threading.main_thread()}.
     *
     * @return the entry of the thread that started the JVM's {@code main}
     */
    public static Thread mainThread() {
        return Main.MAIN;
    }

    /**
     * Python's {@code threading.get_ident()}: the calling thread's Java thread id (equal to its {@link Thread#ident()}).
     *
     * @return the calling thread's Java thread id
     */
    public static long getIdent() {
        return java.lang.Thread.currentThread().threadId();
    }

    /**
     * Python's {@code threading.get_native_id()}: the calling thread's {@link Thread#nativeId()}.
     *
     * @return the calling thread's operating-system id
     */
    public static long getNativeId() {
        return currentThread().nativeId();
    }

    /**
     * Python's {@code threading.enumerate()}: every live entry — started, unfinished threads of
     * this package, the main thread if alive, and dummies of foreign threads that are alive.
     *
     * @return a snapshot of every live entry
     */
    public static List<Thread> enumerate() {
        List<Thread> result = new ArrayList<>();
        Thread main = Main.MAIN;
        if (main.isAlive()) {
            result.add(main);
        }
        for (Thread t : RUNNING) {
            result.add(t);
        }
        synchronized (DUMMIES) {
            for (Thread t : DUMMIES.keySet()) {
                if (t.isAlive()) {
                    result.add(t);
                }
            }
        }
        return result;
    }

    /**
     * Python's {@code threading.active_count()}: {@code enumerate().size()}.
     *
     * @return the number of live entries
     */
    public static int activeCount() {
        return enumerate().size();
    }

    /**
     * The current exception hook.
     *
     * @return the hook that handles exceptions escaping a thread's {@code run()}
     */
    public static ExceptHook excepthook() {
        return excepthook;
    }

    /**
     * Replaces the exception hook (Python: {@code threading.excepthook = hook}); {@code null} restores the default.
     *
     * @param hook the new hook, or {@code null} for the default
     */
    public static void setExcepthook(ExceptHook hook) {
        excepthook = hook != null ? hook : DEFAULT_EXCEPTHOOK;
    }

    static void register(Thread t) {
        RUNNING.add(t);
    }

    static void unregister(Thread t) {
        RUNNING.remove(t);
    }

    static void bind(Thread t) {
        CURRENT.set(t);
    }

    /** A reused worker forgets the Thread it ran. */
    static void unbind() {
        CURRENT.remove();
    }

    /** The calling Java thread's entry if it has one already (no dummy is made). */
    static Thread boundOrNull() {
        return CURRENT.get();
    }

    /** Runs the hook; if the hook itself throws, reports both with the default printer (as CPython). */
    static void invokeExcepthook(Thread thread, Throwable exception) {
        ExceptHook hook = excepthook;
        try {
            hook.handle(thread, exception);
        } catch (Throwable hookFailure) {
            PrintStream err = System.err;
            synchronized (err) {
                err.println("Exception in threading.excepthook:");
                hookFailure.printStackTrace(err);
            }
            DEFAULT_EXCEPTHOOK.handle(thread, exception);
        }
    }
}
