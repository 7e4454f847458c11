package io.github.pyconcurrent.threading;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Platform threads kept parked after a {@link Thread} ends, to run the next {@code Thread}s
 * started: creating an OS thread is most of what {@code Thread.start()+join()} costs.
 *
 * <p>Bounded: at most {@value #MAX_IDLE_PROPERTY} idle workers (default {@value #DEFAULT_MAX_IDLE});
 * a worker that finds the pool full ends. A worker idle for {@value #IDLE_MILLIS_PROPERTY}
 * milliseconds (default {@value #DEFAULT_IDLE_MILLIS}) ends. {@code -D}{@value #ENABLED_PROPERTY}
 * {@code =false} turns reuse off: each {@code Thread} then gets a platform thread of its own.
 *
 * <p>Workers are daemon threads (an idle one must not keep the JVM alive); while a non-daemon
 * {@code Thread} runs on one, a non-daemon keeper thread ({@code pyconcurrent-nondaemon-keeper})
 * holds the JVM up, as Python's shutdown waits for non-daemon threads. The keeper lingers
 * {@value #KEEPER_LINGER_MILLIS} to twice that many ms after the last one ends (so that a loop of
 * start+join neither creates nor wakes it each time), which is how much longer such a JVM may take to exit.
 *
 * <p>Between two {@code Thread}s a worker forgets the first: its {@link Local} values, its
 * {@link Threading#currentThread()} entry, its interrupt status, its name (it is renamed
 * {@code pyconcurrent-idle-worker}); the next one gets the creator's context class loader.
 */
final class ThreadReuse {
    static final String ENABLED_PROPERTY = "pyconcurrent.threading.reuse";
    static final String MAX_IDLE_PROPERTY = "pyconcurrent.threading.reuse.maxIdle";
    static final String IDLE_MILLIS_PROPERTY = "pyconcurrent.threading.reuse.idleMillis";
    static final int DEFAULT_MAX_IDLE = 64;
    static final long DEFAULT_IDLE_MILLIS = 30_000;
    static final long KEEPER_LINGER_MILLIS = 250;
    static final String IDLE_NAME = "pyconcurrent-idle-worker";

    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true"));
    private static final int MAX_IDLE = Math.max(0, Integer.getInteger(MAX_IDLE_PROPERTY, DEFAULT_MAX_IDLE));
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(
            Math.max(1, Long.getLong(IDLE_MILLIS_PROPERTY, DEFAULT_IDLE_MILLIS)));

    /** Idle workers, the most recently parked first (its stack and caches are the warmest). */
    private static final ConcurrentLinkedDeque<Worker> IDLE = new ConcurrentLinkedDeque<>();
    private static final AtomicInteger IDLE_COUNT = new AtomicInteger();

    private static final Object KEEPER_LOCK = new Object();
    /** Non-daemon {@code Thread}s running on workers; guarded by KEEPER_LOCK. */
    private static int nonDaemonRunning;
    private static java.lang.Thread keeper;

    private ThreadReuse() {}

    /** Runs {@code task} on an idle worker, or a new one; returns the Java thread that runs it. */
    static java.lang.Thread start(Runnable task) {
        Worker w;
        while ((w = IDLE.pollFirst()) != null) {
            IDLE_COUNT.decrementAndGet();
            if (w.offer(task)) {
                return w;
            }
            // it timed out meanwhile and is ending: try the next
        }
        w = new Worker(task);
        w.start();
        return w;
    }

    /** Idle workers now (for tests). */
    static int idle() {
        return IDLE_COUNT.get();
    }

    /** Records that the current thread, if a worker, holds a value of {@code local}, to forget it at the end. */
    static void touched(Local<?> local) {
        if (java.lang.Thread.currentThread() instanceof Worker w && !w.touched.contains(local)) {
            w.touched.add(local);
        }
    }

    static void nonDaemonStarted() {
        synchronized (KEEPER_LOCK) {
            nonDaemonRunning++;
            if (keeper == null) {
                keeper = new java.lang.Thread(ThreadReuse::keep, "pyconcurrent-nondaemon-keeper");
                keeper.setDaemon(false);
                keeper.start();
            }
        }
    }

    /** No wake-up of the keeper here: it looks on its own every linger, so a start+join loop costs it nothing. */
    static void nonDaemonEnded() {
        synchronized (KEEPER_LOCK) {
            nonDaemonRunning--;
            lastNonDaemonEnd = System.nanoTime();
        }
    }

    /** When the last non-daemon Thread on a worker ended; guarded by KEEPER_LOCK. */
    private static long lastNonDaemonEnd;

    /** The keeper: alive while non-daemon Threads run on workers, and a linger after the last. */
    private static void keep() {
        long linger = TimeUnit.MILLISECONDS.toNanos(KEEPER_LINGER_MILLIS);
        synchronized (KEEPER_LOCK) {
            while (nonDaemonRunning > 0 || System.nanoTime() - lastNonDaemonEnd < linger) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(KEEPER_LOCK, linger);
                } catch (InterruptedException e) {
                    // nobody should interrupt the keeper: it keeps on while it is needed
                }
            }
            keeper = null;
        }
    }

    /** A parked platform thread that runs one task after another. */
    static final class Worker extends java.lang.Thread {
        /** The task handed over; null while idle and offerable; RETIRED once it has ended. */
        private final AtomicReference<Object> slot;
        private static final Object RETIRED = new Object();
        /** The {@link Local}s the current task set a value of. */
        final List<Local<?>> touched = new ArrayList<>(2);

        Worker(Runnable first) {
            super(IDLE_NAME);
            setDaemon(true);
            slot = new AtomicReference<>(first);
        }

        boolean offer(Runnable task) {
            if (slot.compareAndSet(null, task)) {
                LockSupport.unpark(this);
                return true;
            }
            return false;
        }

        @Override
        public void run() {
            Runnable task = (Runnable) slot.get();
            while (task != null) {
                try {
                    task.run(); // a Thread's bootstrap: it catches everything
                } finally {
                    forget();
                }
                task = null; // the ended Thread must not stay reachable from a parked worker
                task = park();
            }
        }

        /** The last task is gone: nothing of it is left for the next. */
        private void forget() {
            for (Local<?> local : touched) {
                local.remove();
            }
            touched.clear();
            Threading.unbind();
            java.lang.Thread.interrupted();
            setName(IDLE_NAME);
        }

        /** Parks until a task comes (it is returned), or returns null when the pool is full or the idle time is out. */
        private Runnable park() {
            if (IDLE_COUNT.incrementAndGet() > MAX_IDLE) {
                IDLE_COUNT.decrementAndGet();
                return null;
            }
            slot.set(null);
            IDLE.addFirst(this);
            long deadline = System.nanoTime() + IDLE_NANOS;
            while (true) {
                Object s = slot.get();
                if (s != null) {
                    return (Runnable) s;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (slot.compareAndSet(null, RETIRED)) {
                        if (IDLE.removeFirstOccurrence(this)) {
                            IDLE_COUNT.decrementAndGet();
                        }
                        return null;
                    }
                    continue; // a task came at the last moment
                }
                java.lang.Thread.interrupted(); // a stale interrupt (of a Thread that ran here) must not spin the park
                LockSupport.parkNanos(this, left);
            }
        }
    }
}
