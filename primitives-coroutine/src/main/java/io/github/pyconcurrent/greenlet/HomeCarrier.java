package io.github.pyconcurrent.greenlet;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The virtual-thread scheduler of one platform home thread's greenlets: the home thread itself
 * is their only carrier, and the main greenlet drives them like the continuation backend's
 * trampoline ({@link #trampoline}). A greenlet switches out with {@code Thread.yield()}; its
 * re-submission is not queued but kept as the strand's {@link Strand#resumeTask}, which the
 * trampoline runs when the greenlet is switched to. So a switch is an unmount and a mount on the
 * home thread: no park, no unpark, no other OS thread - the difference between microseconds and
 * a few hundred ns per switch when the home is a platform thread (with the JDK's default
 * scheduler, each switch between the platform main greenlet and a virtual thread wakes another
 * OS thread).
 *
 * <p>It is also what gevent's model asks for: the greenlets of a thread run on that thread, one
 * at a time. A greenlet that blocks in the JDK (I/O, a lock, {@code Thread.sleep}) unmounts as
 * any virtual thread does while keeping the turn; whoever unblocks it (a poller, a timer, another
 * thread) calls {@link #execute} from its own thread, which queues it and wakes the home thread.
 * A yield that cannot unmount (a class initializer or a native frame on the greenlet's stack)
 * cannot be a switch either - the home thread is busy carrying the greenlet - so it throws
 * {@link GreenletError}, as on the continuation backend.
 *
 * <p>Virtual threads with a scheduler of one's own are not public API in JDK 21-25: the builder
 * is reached through the JDK's package-private {@code ThreadBuilders.VirtualThreadBuilder(Executor)}
 * constructor, which needs {@code --add-opens=java.base/java.lang=ALL-UNNAMED} (part of the
 * toolkit's JVM flags). Without it, or when the home thread is itself virtual (a virtual thread
 * cannot carry another), {@link #threadsFor} answers null and the greenlets use the JDK's default
 * scheduler with a park/unpark hand-off: correct, but each switch is a cross-thread wake-up.
 *
 * <p>Thread-confinement: {@link #capture} and the trampoline belong to the home thread (and the
 * greenlet it carries, which runs on the same OS thread, ordered by mount and unmount); only
 * {@link #execute} may be called from other threads.
 */
final class HomeCarrier implements Executor {
    /** (Executor scheduler) -> Thread.Builder.OfVirtual, or null when the JDK does not allow it. */
    private static final MethodHandle NEW_BUILDER = builderConstructor();
    private static final AtomicLong HOMES = new AtomicLong();

    private final Thread home;
    /** Runnable virtual threads of this home that the trampoline did not ask for: woken by others. */
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /**
     * Written only by the home thread, before it parks (true) and after (false); {@link #execute}
     * reads it after queueing, so a task queued while the home thread decides to park is seen by
     * its re-check of the queue or wakes it (Dekker: both sides write, then read the other's).
     */
    private volatile boolean parking;
    /**
     * The strand whose virtual thread's next submission, made on the home thread, is kept as its
     * {@link Strand#resumeTask} instead of queued: set around a greenlet's start and its
     * switch-out yield. Home thread only.
     */
    private Strand capture;

    private HomeCarrier(Thread home) {
        this.home = home;
    }

    /**
     * The factory of greenlet virtual threads carried by {@code home}'s thread, also setting
     * {@code home.carrier}; or null when {@code home} cannot carry them (see the class comment)
     * and the default scheduler is to be used.
     */
    static ThreadFactory threadsFor(GreenletThread home) {
        if (NEW_BUILDER == null || home.thread.isVirtual()) {
            return null;
        }
        HomeCarrier carrier = new HomeCarrier(home.thread);
        try {
            Thread.Builder.OfVirtual builder = (Thread.Builder.OfVirtual) NEW_BUILDER.invokeExact((Executor) carrier);
            home.carrier = carrier;
            return builder.name("greenlet-" + HOMES.incrementAndGet() + "-", 1)
                    .inheritInheritableThreadLocals(false).factory();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Takes a greenlet's virtual thread to run (or continue) on the home thread; any thread. */
    @Override
    public void execute(Runnable task) {
        if (Thread.currentThread() == home) {
            Strand s = capture;
            if (s != null) {
                capture = null;
                s.resumeTask = task;
                return;
            }
        }
        tasks.offer(task);
        if (parking) {
            LockSupport.unpark(home);
        }
    }

    /** Starts {@code s}'s virtual thread without running it: its first run is kept as its resume task. */
    void start(Thread thread, Strand s) {
        capture = s;
        try {
            thread.start();
        } finally {
            capture = null;
        }
    }

    /**
     * The main greenlet's switch to {@code first}, on the home thread: runs greenlets until one
     * switches back to the main greenlet. An interrupt of the home thread meanwhile is kept for
     * after the switch (mounting a virtual thread would clear it).
     */
    void trampoline(GreenletThread home, Strand first) {
        Strand main = home.main;
        boolean interrupted = false;
        Strand to = first;
        do {
            home.enter();
            if (to.resumeTask == null) {
                VirtualThreadBackend.startThread(home, to);
            }
            Runnable task = to.resumeTask;
            to.resumeTask = null;
            if (Thread.interrupted()) {
                interrupted = true;
            }
            task.run();
            // Back here: `to` switched (home.next is its target), finished (likewise), or blocked
            // in the JDK while keeping the turn - then carry whatever wakes until it switches.
            while (home.next == null) {
                if (Thread.interrupted()) {
                    interrupted = true;
                }
                Runnable woken = tasks.poll();
                if (woken != null) {
                    woken.run();
                    continue;
                }
                parking = true;
                if (tasks.isEmpty()) {
                    LockSupport.park(this);
                }
                parking = false;
            }
            to = home.next;
        } while (to != main);
        home.enter();
        if (interrupted) {
            this.home.interrupt();
        }
    }

    /**
     * A carried greenlet's switch out, on its virtual thread, after the switch's target is named
     * in {@code home.next}: yields to the trampoline; returns when switched back to.
     *
     * @throws GreenletError the greenlet's stack is pinned (nothing was switched)
     */
    void switchOut(Strand self) {
        capture = self;
        Thread.yield();
        if (capture == self) {
            capture = null;
            throw new GreenletError("cannot switch out of this greenlet: its stack is pinned to the"
                    + " thread (Pinned: NATIVE), e.g. by a class initializer or a native frame; switch"
                    + " outside of it");
        }
    }

    private static MethodHandle builderConstructor() {
        try {
            Class<?> builderClass = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(builderClass, MethodHandles.lookup());
            MethodHandle ctor = lookup.findConstructor(builderClass, MethodType.methodType(void.class, Executor.class))
                    .asType(MethodType.methodType(Thread.Builder.OfVirtual.class, Executor.class));
            // Check that it really works here before relying on it.
            Thread probe = ((Thread.Builder.OfVirtual) ctor.invokeExact((Executor) Runnable::run)).unstarted(() -> { });
            return probe.isVirtual() ? ctor : null;
        } catch (Throwable t) {
            return null;
        }
    }
}
