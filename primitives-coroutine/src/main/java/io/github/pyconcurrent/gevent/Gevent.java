package io.github.pyconcurrent.gevent;

import io.github.pyconcurrent.internal.Timeouts;
import io.github.pyconcurrent.greenlet.Greenlet;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * gevent's module-level functions: spawn greenlets on this thread's {@link Hub}, wait for them,
 * sleep, and make cooperative sockets.
 *
 * <pre>{@code
 * List<GreenletTask<String>> jobs = List.of(
 *         Gevent.spawn(() -> fetch("http://127.0.0.1:8001/")),
 *         Gevent.spawn(() -> fetch("http://127.0.0.1:8002/")));
 * Gevent.joinall(jobs);                         // the fetches overlap on one thread
 * Hub.get().destroy();
 * }</pre>
 *
 * <p>Differences from gevent: no monkey-patching (JDK I/O stays blocking; use
 * {@link #socket()}); {@code joinall} with a timeout returns whether all finished rather than the
 * list of finished ones; a killed task's value is null.
 */
public final class Gevent {
    private Gevent() {}

    /**
     * Spawns {@code callable} as a new greenlet of this thread's hub; it starts when the current
     * greenlet next waits. gevent's {@code gevent.spawn(f)} (pass arguments by capturing them).
     *
     * @param <T> the callable's result type
     * @param callable the task's body; its value becomes the task's value, its exception the task's
     *     {@link GreenletTask#exception()}
     * @return the new task, pending until the hub runs it
     * @throws NullPointerException if {@code callable} is null
     */
    public static <T> GreenletTask<T> spawn(Callable<T> callable) {
        Objects.requireNonNull(callable, "callable");
        Hub hub = Hub.get();  // this thread's hub by construction: no checkThread needed
        GreenletTask<T> task = new GreenletTask<>(hub, callable);
        task.schedule();
        return task;
    }

    /**
     * Spawns {@code runnable}; its task's value is null.
     *
     * @param runnable the task's body
     * @return the new task, pending until the hub runs it
     * @throws NullPointerException if {@code runnable} is null
     */
    public static GreenletTask<Void> spawn(Runnable runnable) {
        Objects.requireNonNull(runnable, "runnable");
        GreenletTask<Void> task = new GreenletTask<>(Hub.get(), runnable);
        task.schedule();
        return task;
    }

    /**
     * Waits until every task is ready (whatever their outcome); gevent's {@code joinall}.
     *
     * @param tasks the tasks to wait for, all of this thread's hub
     * @throws io.github.pyconcurrent.greenlet.GreenletError if a task belongs to another thread's
     *     hub
     */
    public static void joinall(Collection<? extends GreenletTask<?>> tasks) {
        for (GreenletTask<?> task : tasks) {
            task.join();
        }
    }

    /**
     * Waits until every task is ready or {@code timeout} passes; returns whether all are ready.
     *
     * @param tasks the tasks to wait for, all of this thread's hub
     * @param timeout how long to wait for all of them together; null waits forever
     * @return true if every task is ready, false if {@code timeout} passed first (the others keep
     *     running)
     * @throws io.github.pyconcurrent.greenlet.GreenletError if a task belongs to another thread's
     *     hub
     */
    public static boolean joinall(Collection<? extends GreenletTask<?>> tasks, Duration timeout) {
        long deadline = System.nanoTime() + Timeouts.boundedNanos(timeout);
        for (GreenletTask<?> task : tasks) {
            long left = deadline - System.nanoTime();
            if (!task.join(Duration.ofNanos(Math.max(0, left)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Kills each task and waits for it; gevent's {@code killall}.
     *
     * @param tasks the tasks to kill, all of this thread's hub; ready ones are left as they are
     * @throws io.github.pyconcurrent.greenlet.GreenletError if a task belongs to another thread's
     *     hub
     */
    public static void killall(Collection<? extends GreenletTask<?>> tasks) {
        for (GreenletTask<?> task : tasks) {
            task.kill();
        }
    }

    /**
     * Suspends the current greenlet for {@code duration} while the others run. {@code sleep(0)}
     * only yields: every other ready greenlet runs once before this one continues.
     *
     * @param duration how long to sleep; zero or negative only yields
     */
    public static void sleep(Duration duration) {
        Hub hub = Hub.get();
        Greenlet me = hub.currentWaiter();
        Callback wake = duration.isZero() || duration.isNegative()
                ? hub.schedule(me, null)
                : hub.startTimer(duration, me, null, null);
        try {
            while (wake.pending()) {
                hub.block();
            }
        } finally {
            hub.cancel(wake);
        }
    }

    /** {@code sleep(Duration.ZERO)}. */
    public static void sleep() {
        sleep(Duration.ZERO);
    }

    /**
     * Runs {@code callable} under a {@link Timeout} of {@code timeout}; gevent's
     * {@code with_timeout}.
     *
     * @param <T> the callable's result type
     * @param timeout how long {@code callable} may run, counted while it waits (a greenlet that
     *     never waits is not interrupted)
     * @param callable the body to run in the current greenlet
     * @return what {@code callable} returned
     * @throws Timeout if {@code timeout} passed while {@code callable} was waiting (gevent's
     *     {@code gevent.Timeout})
     * @throws Exception whatever {@code callable} throws, unchanged
     */
    public static <T> T withTimeout(Duration timeout, Callable<T> callable) throws Exception {
        try (Timeout t = Timeout.startNew(timeout)) {
            return callable.call();
        }
    }

    /**
     * This thread's hub; gevent's {@code get_hub()}.
     *
     * @return the calling thread's hub, created on first use
     */
    public static Hub getHub() {
        return Hub.get();
    }

    /**
     * A new, unconnected cooperative TCP socket on this thread's hub; gevent's
     * {@code socket.socket()}.
     *
     * @return a new socket, neither bound nor connected, on the calling thread's hub
     */
    public static CooperativeSocket socket() {
        return new CooperativeSocket(Hub.get());
    }
}
