package io.github.pyconcurrent.gevent;

import io.github.pyconcurrent.greenlet.Greenlet;
import io.github.pyconcurrent.greenlet.GreenletExit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/**
 * A spawned greenlet with a result; gevent's {@code gevent.Greenlet} as returned by
 * {@link Gevent#spawn}. It starts in the hub's next round (not at spawn), runs until it waits,
 * and when it finishes wakes every greenlet that {@linkplain #join() joins} it.
 *
 * <pre>{@code
 * GreenletTask<Integer> t = Gevent.spawn(() -> { Gevent.sleep(Duration.ZERO); return 42; });
 * int v = t.get();              // waits cooperatively: other greenlets run meanwhile
 * }</pre>
 *
 * <p>States: pending (spawned, not yet run), running, ready. A ready task is
 * {@linkplain #successful() successful} unless its callable threw; a {@linkplain #kill() killed}
 * task is ready and successful with a null value (gevent's value there is the GreenletExit).
 *
 * <p>Confined to its hub's thread: calls from another thread throw
 * {@link io.github.pyconcurrent.greenlet.GreenletError}.
 *
 * @param <T> the type of the task's value
 */
public final class GreenletTask<T> extends Greenlet {
    /** The hub that runs this task; its parent. */
    final Hub hub;
    /** What it runs: one of these two is null (a runnable's value is null). */
    private final Callable<T> callable;
    /**
     * Run as it is, not wrapped in a callable: a task's stack keeps every frame under a wait (an
     * idle connection's greenlet waits for ever), and a wrapper would add one.
     */
    private final Runnable runnable;

    // Confined to the hub's thread.
    private Callback start;
    private boolean started;
    private boolean ready;
    private T value;
    private Throwable exception;
    /**
     * Wake-ups of the greenlets waiting in join, queued on the hub when this task finishes; null
     * until someone joins (most tasks are joined after they finish, or never).
     */
    private List<Callback> joiners;
    /** The hub's list of unfinished tasks, linked through the tasks (see Hub#taskStarted). */
    GreenletTask<?> prevUnfinished;
    GreenletTask<?> nextUnfinished;
    boolean listedUnfinished;

    GreenletTask(Hub hub, Callable<T> callable) {
        super(hub);
        this.hub = hub;
        this.callable = callable;
        this.runnable = null;
    }

    /** A task of {@code runnable}, whose value is null. */
    GreenletTask(Hub hub, Runnable runnable) {
        super(hub);
        this.hub = hub;
        this.callable = null;
        this.runnable = runnable;
    }

    /** Queues the start on the hub (gevent's {@code Greenlet.start()}). */
    void schedule() {
        hub.taskStarted(this);
        start = hub.schedule(this, null);
    }

    @Override
    protected Object run(Object[] args) {
        started = true;
        start = null;
        try {
            if (runnable != null) {
                runnable.run();
            } else {
                value = callable.call();
            }
        } catch (GreenletExit killed) {
            value = null;
        } catch (Throwable t) {
            exception = t;
        }
        finish();
        return null;
    }

    private void finish() {
        ready = true;
        hub.taskDone(this);
        List<Callback> waiting = joiners;
        if (waiting != null) {
            joiners = null;
            for (Callback joiner : waiting) {
                hub.wake(joiner);
            }
        }
    }

    /**
     * True once finished (or killed).
     *
     * @return true once the task has finished, failed or been killed (gevent's {@code ready()})
     */
    public boolean ready() {
        return ready;
    }

    /**
     * True when finished without an exception (a killed task counts as successful, as in gevent).
     *
     * @return true once the task is ready without an exception (gevent's {@code successful()});
     *     false while it runs
     */
    public boolean successful() {
        return ready && exception == null;
    }

    /**
     * The exception the callable threw, or null.
     *
     * @return the exception the callable threw, or null while the task runs, when it succeeded or
     *     when it was killed
     */
    public Throwable exception() {
        return exception;
    }

    /** Waits until this task is ready. */
    public void join() {
        join(null);
    }

    /**
     * Waits until this task is ready or {@code timeout} passes; returns whether it is ready.
     *
     * @param timeout how long to wait; null waits forever
     * @return true if the task is ready, false if {@code timeout} passed first (it keeps running)
     * @throws IllegalStateException if called from inside this task (it would wait for itself)
     * @throws io.github.pyconcurrent.greenlet.GreenletError if called from another thread than the
     *     task's hub
     */
    public boolean join(Duration timeout) {
        hub.checkThread();
        if (ready) {
            return true;
        }
        Greenlet waiter = hub.currentWaiter();
        if (waiter == this) {
            throw new IllegalStateException("a greenlet cannot join itself");
        }
        Callback wake = hub.callback(waiter);
        if (joiners == null) {
            joiners = new ArrayList<>(1);
        }
        joiners.add(wake);
        Callback timer = timeout == null ? null : hub.startTimer(timeout, waiter, null, null);
        try {
            while (!ready && (timer == null || timer.pending())) {
                hub.block();
            }
            return ready;
        } finally {
            if (joiners != null) {
                joiners.remove(wake);
            }
            hub.cancel(wake);
            hub.cancel(timer);
        }
    }

    /**
     * Waits for the result: the callable's value; its unchecked exception rethrown as it is, a
     * checked one inside a {@link CompletionException}; null for a killed task.
     *
     * @return the callable's value; null for a killed task
     * @throws RuntimeException the callable's unchecked exception, rethrown as it is (an
     *     {@link Error} likewise)
     * @throws CompletionException wrapping the callable's checked exception
     * @throws io.github.pyconcurrent.greenlet.GreenletError if called from another thread than the
     *     task's hub
     */
    public T get() {
        join();
        Throwable e = exception;
        if (e == null) {
            return value;
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        throw new CompletionException(e);
    }

    /**
     * {@link #get()}, waiting at most {@code timeout}: gevent's {@code get(timeout=...)}.
     *
     * @param timeout how long to wait for the task; null waits forever
     * @return the callable's value; null for a killed task
     * @throws Timeout the task is not ready in time (it keeps running)
     * @throws RuntimeException the callable's unchecked exception, rethrown as it is (an
     *     {@link Error} likewise)
     * @throws CompletionException wrapping the callable's checked exception
     */
    public T get(Duration timeout) {
        if (!join(timeout)) {
            throw new Timeout(timeout);
        }
        return get();
    }

    /**
     * Kills this task: throws {@link GreenletExit} into it at its waiting point (its finally
     * blocks run) and waits until it is dead; a task that has not started never runs. Nothing
     * happens to a ready task. From inside the task itself, throws the GreenletExit at once.
     */
    public void kill() {
        hub.checkThread();
        if (ready) {
            return;
        }
        if (!started) {
            hub.cancel(start);
            start = null;
            finish();
            return;
        }
        if (Greenlet.getcurrent() == this) {
            throw new GreenletExit();
        }
        hub.scheduleThrow(this, new GreenletExit());
        if (Greenlet.getcurrent() != hub) {
            join();
        }
    }

    @Override
    public String toString() {
        String state = ready ? (exception == null ? "ready" : "failed: " + exception) : started ? "running" : "pending";
        return "GreenletTask@" + Integer.toHexString(System.identityHashCode(this)) + "[" + state + "]";
    }
}
