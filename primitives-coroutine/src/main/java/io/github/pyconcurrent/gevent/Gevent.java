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
     */
    public static <T> GreenletTask<T> spawn(Callable<T> callable) {
        Objects.requireNonNull(callable, "callable");
        Hub hub = Hub.get();  // this thread's hub by construction: no checkThread needed
        GreenletTask<T> task = new GreenletTask<>(hub, callable);
        task.schedule();
        return task;
    }

    /** Spawns {@code runnable}; its task's value is null. */
    public static GreenletTask<Void> spawn(Runnable runnable) {
        Objects.requireNonNull(runnable, "runnable");
        GreenletTask<Void> task = new GreenletTask<>(Hub.get(), runnable);
        task.schedule();
        return task;
    }

    /** Waits until every task is ready (whatever their outcome); gevent's {@code joinall}. */
    public static void joinall(Collection<? extends GreenletTask<?>> tasks) {
        for (GreenletTask<?> task : tasks) {
            task.join();
        }
    }

    /** Waits until every task is ready or {@code timeout} passes; returns whether all are ready. */
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

    /** Kills each task and waits for it; gevent's {@code killall}. */
    public static void killall(Collection<? extends GreenletTask<?>> tasks) {
        for (GreenletTask<?> task : tasks) {
            task.kill();
        }
    }

    /**
     * Suspends the current greenlet for {@code duration} while the others run. {@code sleep(0)}
     * only yields: every other ready greenlet runs once before this one continues.
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

    /** Runs {@code callable} under a {@link Timeout} of {@code timeout}; gevent's {@code with_timeout}. */
    public static <T> T withTimeout(Duration timeout, Callable<T> callable) throws Exception {
        try (Timeout t = Timeout.startNew(timeout)) {
            return callable.call();
        }
    }

    /** This thread's hub; gevent's {@code get_hub()}. */
    public static Hub getHub() {
        return Hub.get();
    }

    /** A new, unconnected cooperative TCP socket on this thread's hub; gevent's {@code socket.socket()}. */
    public static CooperativeSocket socket() {
        return new CooperativeSocket(Hub.get());
    }
}
