package io.github.pyconcurrent.threading;

import io.github.pyconcurrent.internal.Timeouts;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread of control with Python's rules: Python's {@code threading.Thread}.
 *
 * <p>Each {@code Thread} runs on one platform {@link java.lang.Thread} ({@link #javaThread()}); it
 * runs {@link #run()}, which calls the target given to the constructor (or is overridden by a
 * subclass). By default {@link #start()} takes a platform thread parked after an earlier
 * {@code Thread} ended, and starts a new one only when none is idle: an OS thread's creation is
 * most of what a start costs. At most 64 idle ones are kept, each for 30 s; the system properties
 * {@code pyconcurrent.threading.reuse} ({@code false}: a new platform thread per {@code Thread}),
 * {@code pyconcurrent.threading.reuse.maxIdle} and {@code pyconcurrent.threading.reuse.idleMillis}
 * tune it. Python's rules hold either way (below); a reused thread forgets the last
 * {@code Thread}'s {@link Local} values, interrupt status and name.
 *
 * <pre>{@code
 * Thread worker = new Thread("worker", () -> crunch(data));   // Python: Thread(target=..., name=...)
 * worker.setDaemon(true);                                    // Python: worker.daemon = True
 * worker.start();
 * worker.join(Duration.ofSeconds(5));                        // Python: worker.join(5)
 * }</pre>
 *
 * <p><b>Python's rules.</b>
 * <ul>
 *   <li>The daemon flag is inherited from the creating thread (a Java thread not created by this
 *       class counts with its own daemon flag; the main thread is not a daemon) and can be changed
 *       only before {@code start()}. The JVM waits for every non-daemon thread before it exits,
 *       as Python waits for them at interpreter shutdown; daemon threads do not keep it alive.</li>
 *   <li>{@code start()} twice, {@code join} before {@code start()}, and {@code join} of the
 *       current thread throw {@link IllegalStateException} (Python's {@code RuntimeError}).</li>
 *   <li>An exception escaping {@code run()} goes to {@link Threading#excepthook()} (by default
 *       it prints {@code Exception in thread NAME:} and the stack trace to {@code System.err});
 *       it ends this thread only.</li>
 *   <li>From {@code start()} until the thread has finished it appears in
 *       {@link Threading#enumerate()}; {@link Threading#currentThread()} inside it returns this
 *       object.</li>
 * </ul>
 *
 * <p><b>Identity.</b> {@link #ident()} is the Java thread id (what {@link Threading#getIdent()}
 * returns inside the thread), {@link #nativeId()} the operating system's thread id; both are
 * {@code null} before {@code start()}. As CPython documents for both, they may be reused by a
 * later thread once this one has ended (here: a reused platform thread). {@link #javaThread()}
 * before {@code start()} is an unstarted stand-in carrying the name and daemon flag; from
 * {@code start()} on, the platform thread it runs on.
 *
 * <p><b>Memory consistency effects:</b> actions before {@code start()} happen-before the thread
 * runs; the thread's actions happen-before a {@code join} that sees it finished.
 *
 * <p><b>Differences from Python:</b> {@code start()} returns without waiting for the new thread
 * to run (Python waits); {@code nativeId()} may therefore briefly wait for it. Names default to
 * {@code Thread-N} as in Python, without the target's name. Blocking {@code join}s throw
 * {@link UncheckedInterruptedException} if interrupted. On a reused platform thread (the default),
 * {@code javaThread().isDaemon()} is true whatever {@link #isDaemon()} says (the JVM is kept up for
 * a non-daemon {@code Thread} by a keeper thread instead), inheritable thread-locals are not
 * inherited, and the context class loader is the creating thread's.
 */
public class Thread {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Runnable target;
    /** The platform thread it runs on once started (or the foreign thread it stands for); before start, null or a stand-in. */
    private volatile java.lang.Thread javaThread;
    /** Set once, by start(), under this object's monitor so that setDaemon cannot race it. */
    private volatile boolean started;
    /** Counted down when run() has returned (null for foreign entries: their Java thread is joined). */
    private final CountDownLatch finished;
    private volatile boolean daemon;
    /** The OS thread id, published by the thread itself as it begins; 0 until then. */
    private volatile long nativeId;
    private volatile String name;
    /** The creator's context class loader, for a reused platform thread. */
    private ClassLoader contextClassLoader;

    /**
     * A thread that will run {@code target}, named {@code Thread-N}.
     *
     * @param target what {@code run()} calls (may be null: then the thread does nothing)
     */
    public Thread(Runnable target) {
        this((String) null, target);
    }

    /**
     * A thread named {@code name} (null: {@code Thread-N}) that will run {@code target}.
     *
     * @param name the thread's name, or {@code null} for {@code Thread-N}
     * @param target what {@code run()} calls (may be null: then the thread does nothing)
     */
    public Thread(String name, Runnable target) {
        this.target = target;
        this.name = name != null ? name : "Thread-" + COUNTER.incrementAndGet();
        this.finished = new CountDownLatch(1);
        // Python's rule: the daemon flag is the creating thread's (a Thread's own flag when the
        // creator is one, since a reused platform thread is always a Java daemon).
        Thread creator = Threading.boundOrNull();
        this.daemon = creator != null && !creator.isForeign() ? creator.isDaemon()
                : java.lang.Thread.currentThread().isDaemon();
    }

    /**
     * A thread named {@code name} (null: {@code Thread-N}) that will run {@code target}, with the
     * given daemon flag rather than the inherited one: Python's {@code Thread(..., daemon=...)}.
     *
     * @param name the thread's name, or {@code null} for {@code Thread-N}
     * @param target what {@code run()} calls (may be null: then the thread does nothing)
     * @param daemon whether the JVM may exit while this thread runs
     */
    public Thread(String name, Runnable target, boolean daemon) {
        this(name, target);
        this.daemon = daemon;
    }

    /** For subclasses that override {@link #run()}: a thread named {@code Thread-N}. */
    protected Thread() {
        this((String) null, (Runnable) null);
    }

    /**
     * For subclasses that override {@link #run()}: a thread named {@code name}.
     *
     * @param name the thread's name, or {@code null} for {@code Thread-N}
     */
    protected Thread(String name) {
        this(name, (Runnable) null);
    }

    /** For {@link Threading}'s main-thread and dummy entries: wraps an existing Java thread. */
    Thread(java.lang.Thread existing, String name, boolean alreadyStarted) {
        this.target = null;
        this.javaThread = existing;
        this.name = name;
        this.started = alreadyStarted;
        this.daemon = existing.isDaemon();
        this.finished = null;
    }

    /**
     * What the thread does: by default calls the target given to the constructor, if any.
     * Subclasses may override it.
     */
    public void run() {
        if (target != null) {
            target.run();
        }
    }

    /**
     * Starts the thread: {@link #run()} will be called in it. Throws
     * {@link IllegalStateException} if called more than once.
     */
    public final void start() {
        synchronized (this) {
            if (started) {
                throw new IllegalStateException("threads can only be started once");
            }
            started = true;
        }
        Threading.register(this);
        try {
            if (ThreadReuse.ENABLED) {
                contextClassLoader = java.lang.Thread.currentThread().getContextClassLoader();
                if (!daemon) {
                    ThreadReuse.nonDaemonStarted();
                }
                try {
                    javaThread = ThreadReuse.start(this::bootstrap);
                } catch (RuntimeException | Error e) {
                    if (!daemon) {
                        ThreadReuse.nonDaemonEnded();
                    }
                    throw e;
                }
            } else {
                java.lang.Thread own = javaThread;
                if (own == null) {
                    own = new java.lang.Thread(this::bootstrap, name);
                } else {
                    own = new java.lang.Thread(this::bootstrap, own.getName()); // the stand-in cannot run: it has no task
                }
                own.setDaemon(daemon);
                javaThread = own;
                own.start();
            }
        } catch (RuntimeException | Error e) {
            Threading.unregister(this);
            finished.countDown();
            throw e;
        }
    }

    private void bootstrap() {
        java.lang.Thread me = java.lang.Thread.currentThread();
        javaThread = me; // start() sets it too, once the hand-over returned; run() may ask first
        if (me instanceof ThreadReuse.Worker) {
            me.setName(name);
            me.setContextClassLoader(contextClassLoader);
            contextClassLoader = null;
        }
        Threading.bind(this);
        try {
            nativeId = NativeThreadId.current();
            run();
        } catch (Throwable t) {
            Threading.invokeExcepthook(this, t);
        } finally {
            Threading.unregister(this);
            if (me instanceof ThreadReuse.Worker && !daemon) {
                ThreadReuse.nonDaemonEnded();
            }
            finished.countDown();
        }
    }

    /** Waits until the thread has finished. Throws {@link IllegalStateException} if it was not started or is the current thread. */
    public void join() {
        checkJoinable();
        try {
            if (finished != null) {
                finished.await();
            } else {
                javaThread.join();
            }
        } catch (InterruptedException e) {
            throw UncheckedInterruptedException.restore(e);
        }
    }

    /**
     * Waits at most {@code timeout} ({@code null}: forever; negative: not at all) for the thread
     * to finish; returns whether it has finished (Python's {@code not t.is_alive()} after
     * {@code join}).
     *
     * @param timeout how long to wait at most; {@code null} waits for ever, negative not at all
     * @return whether the thread has finished
     * @throws IllegalStateException if the thread was not started, or is the calling thread
     * @throws UncheckedInterruptedException if the calling thread is interrupted while it waits
     */
    public boolean join(Duration timeout) {
        checkJoinable();
        long nanos = Timeouts.waitNanos(timeout);
        try {
            if (nanos == Timeouts.FOREVER) {
                join();
                return true;
            }
            if (nanos > 0) {
                if (finished != null) {
                    finished.await(nanos, TimeUnit.NANOSECONDS);
                } else {
                    javaThread.join(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
                }
            }
        } catch (InterruptedException e) {
            throw UncheckedInterruptedException.restore(e);
        }
        return !isAlive();
    }

    private void checkJoinable() {
        if (!started) {
            throw new IllegalStateException("cannot join thread before it is started");
        }
        if (Threading.boundOrNull() == this || (finished == null && javaThread == java.lang.Thread.currentThread())) {
            throw new IllegalStateException("cannot join current thread");
        }
    }

    /**
     * Returns whether the thread has been started and has not finished.
     *
     * @return true from {@code start()} until {@code run()} has returned
     */
    public boolean isAlive() {
        if (!started) {
            return false;
        }
        return finished != null ? finished.getCount() > 0 : javaThread.isAlive();
    }

    /**
     * Returns whether this is a daemon thread.
     *
     * @return whether the JVM may exit while this thread runs
     */
    public boolean isDaemon() {
        return daemon;
    }

    /**
     * Sets the daemon flag; throws {@link IllegalStateException} once the thread is started.
     *
     * @param daemon whether the JVM may exit while this thread runs
     * @throws IllegalStateException if the thread has been started
     */
    public void setDaemon(boolean daemon) {
        synchronized (this) {
            if (started) {
                throw new IllegalStateException("cannot set daemon status of active thread");
            }
            this.daemon = daemon;
            java.lang.Thread standIn = javaThread;
            if (standIn != null) {
                standIn.setDaemon(daemon);
            }
        }
    }

    /**
     * The thread's name.
     *
     * @return the thread's name
     */
    public String name() {
        return name;
    }

    /**
     * The thread's name: Python's old-style {@code getName()}, the same as {@link #name()}.
     *
     * @return the thread's name
     */
    public String getName() {
        return name;
    }

    /**
     * Renames the thread (and, for a thread of this class, its Java thread while it runs it).
     *
     * @param name the new name
     * @throws NullPointerException if {@code name} is null
     */
    public void setName(String name) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        this.name = name;
        if (!isForeign()) {
            java.lang.Thread jt = javaThread;
            if (jt != null && (!started || isAlive())) {
                jt.setName(name);
            }
        }
    }

    /**
     * The thread's identifier (its Java thread id), or {@code null} before {@link #start()}.
     *
     * @return the Java thread id, or {@code null} before {@code start()}
     */
    public Long ident() {
        return started ? javaThread().threadId() : null;
    }

    /**
     * The operating system's id of the thread (Linux: its TID), or {@code null} before
     * {@link #start()}. Just after {@code start()} it may wait briefly for the thread to begin.
     * Falls back to the Java thread id where the OS id cannot be read.
     *
     * @return the operating system's thread id, or {@code null} before {@code start()}
     */
    public Long nativeId() {
        if (!started) {
            return null;
        }
        long id = nativeId;
        if (id == 0) {
            if (isForeign()) {
                id = javaThread.threadId();
            } else {
                // The thread publishes its id first thing; it has been started, so this is short.
                while ((id = nativeId) == 0 && isAlive()) {
                    java.lang.Thread.onSpinWait();
                    java.lang.Thread.yield();
                }
                if (id == 0) {
                    id = nativeId;
                }
                if (id == 0) {
                    // Ended before it could publish (e.g. it never ran): no OS id to report.
                    id = javaThread().threadId();
                }
            }
        }
        return id;
    }

    /** Called by Threading for the current thread of a dummy/main entry. */
    void publishNativeId(long id) {
        nativeId = id;
    }

    /**
     * The {@link java.lang.Thread} this object runs on: from {@code start()} on, the platform
     * thread (a reused one by default); before, an unstarted stand-in with its name and daemon flag.
     *
     * @return the Java thread that runs (or will stand for) this thread
     */
    public final java.lang.Thread javaThread() {
        java.lang.Thread jt = javaThread;
        if (jt != null) {
            return jt;
        }
        synchronized (this) {
            while (started && javaThread == null && finished.getCount() > 0) {
                // start() is handing the thread over at this moment: it sets the field next
                java.lang.Thread.onSpinWait();
            }
            if (javaThread == null) {
                java.lang.Thread standIn = new java.lang.Thread(() -> { }, name);
                standIn.setDaemon(daemon);
                javaThread = standIn;
            }
            return javaThread;
        }
    }

    /** Whether this entry stands for a Java thread not created by this class (main or dummy). */
    boolean isForeign() {
        return false;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<").append(getClass().getSimpleName())
                .append('(').append(name).append(", ");
        if (!started) {
            sb.append("initial");
        } else if (isAlive()) {
            sb.append("started");
        } else {
            sb.append("stopped");
        }
        if (isDaemon()) {
            sb.append(" daemon");
        }
        if (started) {
            sb.append(' ').append(javaThread().threadId());
        }
        return sb.append(")>").toString();
    }
}
