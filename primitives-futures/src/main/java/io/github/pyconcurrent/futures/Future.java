package io.github.pyconcurrent.futures;

import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The pending result of a task submitted to an executor of this package: Python's
 * {@code concurrent.futures.Future}, and a {@link CompletableFuture}, so it composes with
 * {@code thenApply}, {@code allOf} and everything else that takes a {@code CompletionStage}.
 *
 * <pre>{@code
 * Future<Integer> f = executor.submit(() -> 6 * 7);
 * f.addDoneCallback(done -> System.out.println("done: " + done.result()));
 * int v = f.result(Duration.ofSeconds(5));     // TimeoutError if not ready by then
 * }</pre>
 *
 * <h2>States</h2>
 * A future is <em>pending</em> until a worker takes its task, then <em>running</em>
 * ({@link #running()}), then <em>done</em> ({@link #done()}): completed with a value, with the
 * task's exception, or cancelled. For a {@link ProcessPoolExecutor} a task is running from when it
 * is handed to the pool's workers (as CPython's call queue), a bounded number ahead of them.
 *
 * <h2>Two cancels</h2>
 * {@link #cancel()} is Python's: it succeeds only while the task has not started, so a cancelled
 * task never runs; on a running or finished task it returns false. {@link #cancel(boolean)} is
 * the JDK's ({@code Future.cancel}, which {@code invokeAll}/{@code invokeAny} use on timeout): it
 * cancels any unfinished future, the task's eventual result is dropped, and with {@code true} a
 * {@link ThreadPoolExecutor} worker running the task is interrupted (a worker JVM is not: its
 * task runs to its end).
 *
 * <h2>Callbacks</h2>
 * {@link #addDoneCallback} callbacks run in the order they were added, once the future is done,
 * in the thread that completed it; a callback added to a future that is already done runs at
 * once, in the adding thread (as Python). An exception from a callback is logged and ignored.
 *
 * <p><b>Memory consistency effects:</b> actions in the task happen-before actions after
 * {@link #result()} (or any other wait) returns, and before a callback runs.
 *
 * <p><b>Differences from Python:</b> {@link #result()} throws the task's exception wrapped in a
 * {@link CompletionException} (Java's checked exceptions cannot be rethrown as they are); a
 * cancelled future's {@code result()} and {@code exception()} throw {@link CancellationException}
 * (Python's {@code CancelledError}).
 *
 * @param <T> the type of the task's value
 */
public class Future<T> extends CompletableFuture<T> {
    private static final System.Logger LOG = System.getLogger(Future.class.getName());

    private static final int PENDING = 0;
    private static final int RUNNING = 1;
    /** Cancelled before it ran: it never will. */
    private static final int CANCELLED = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Future.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through STATE
    private volatile int state;

    // Guarded by this.
    /** The thread running the task (ThreadPoolExecutor), for cancel(true)'s interrupt. */
    private java.lang.Thread runner;
    private List<Consumer<? super Future<T>>> callbacks;
    private boolean callbacksRan;

    /** A pending future, for executors and tests (as Python's {@code Future()}). */
    public Future() {}

    // ---------------------------------------------------------------- Python's methods

    /**
     * Waits for the task and returns its value; see {@link #result(Duration)}.
     *
     * @return the task's value
     * @throws CompletionException if the task failed (its exception is the cause)
     * @throws CancellationException if the future was cancelled
     * @throws UncheckedInterruptedException if the calling thread is interrupted while it waits
     */
    public T result() {
        return result(null);
    }

    /**
     * Waits at most {@code timeout} ({@code null}: for ever) and returns the task's value. A
     * failed task throws {@link CompletionException} whose cause is the task's exception; a
     * cancelled one {@link CancellationException}; {@link TimeoutError} if not done in time.
     *
     * @param timeout how long to wait at most; {@code null} waits for ever
     * @return the task's value
     * @throws CompletionException if the task failed (its exception is the cause)
     * @throws CancellationException if the future was cancelled
     * @throws TimeoutError if the task is not done within {@code timeout}
     * @throws UncheckedInterruptedException if the calling thread is interrupted while it waits
     */
    public T result(Duration timeout) {
        try {
            return timeout == null ? get() : get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (TimeoutException e) {
            throw new TimeoutError("the future was not done within " + timeout);
        } catch (InterruptedException e) {
            throw UncheckedInterruptedException.restore(e);
        }
    }

    /**
     * Waits for the task and returns its exception, or null if it succeeded; see {@link #exception(Duration)}.
     *
     * @return the task's exception, or {@code null} if it completed normally
     * @throws CancellationException if the future was cancelled
     */
    public Throwable exception() {
        return exception(null);
    }

    /**
     * Waits at most {@code timeout} ({@code null}: for ever); returns the task's exception, or
     * null if it completed normally. {@link CancellationException} if it was cancelled,
     * {@link TimeoutError} if not done in time.
     *
     * @param timeout how long to wait at most; {@code null} waits for ever
     * @return the task's exception, or {@code null} if it completed normally
     * @throws CancellationException if the future was cancelled
     * @throws TimeoutError if the task is not done within {@code timeout}
     */
    public Throwable exception(Duration timeout) {
        try {
            result(timeout);
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    /**
     * Calls {@code fn} with this future once it is done (at once, in this thread, if it already
     * is); callbacks run in the order they were added.
     *
     * @param fn the callback, given this future
     * @throws NullPointerException if {@code fn} is null
     */
    public void addDoneCallback(Consumer<? super Future<T>> fn) {
        Objects.requireNonNull(fn, "fn");
        boolean runNow = false;
        boolean first = false;
        synchronized (this) {
            if (callbacksRan) {
                runNow = true;
            } else {
                if (callbacks == null) {
                    callbacks = new ArrayList<>(2);
                    first = true;
                }
                callbacks.add(fn);
            }
        }
        if (runNow) {
            invoke(fn);
        } else if (first) {
            // One dependent stage runs the list, so callbacks keep their order (a CompletableFuture
            // runs its dependents last-added first).
            whenComplete((v, e) -> runCallbacks());
        }
    }

    private void runCallbacks() {
        List<Consumer<? super Future<T>>> list;
        synchronized (this) {
            callbacksRan = true;
            list = callbacks;
            callbacks = null;
        }
        for (Consumer<? super Future<T>> fn : list) {
            invoke(fn);
        }
    }

    private void invoke(Consumer<? super Future<T>> fn) {
        try {
            fn.accept(this);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "exception calling callback for " + this, e);
        }
    }

    /**
     * Python's {@code cancel()}: cancels the task if it has not started, so it never will, and
     * returns true (also when it was already cancelled); false if it is running or done.
     *
     * @return true if the future is cancelled, false if its task is running or done
     */
    public boolean cancel() {
        if (isDone()) {
            return isCancelled();
        }
        if (!STATE.compareAndSet(this, PENDING, CANCELLED) && (int) STATE.getVolatile(this) != CANCELLED) {
            return false;
        }
        super.cancel(false);
        return isCancelled();
    }

    /**
     * The JDK's {@code Future.cancel}: cancels the future unless it is done, whether or not the
     * task runs (its result is then dropped); with {@code mayInterruptIfRunning}, a thread running
     * the task is interrupted. Python's {@link #cancel()} refuses a running task instead.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        STATE.compareAndSet(this, PENDING, CANCELLED);
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled && mayInterruptIfRunning) {
            synchronized (this) {
                if (runner != null) {
                    runner.interrupt();
                }
            }
        }
        return cancelled || isCancelled();
    }

    /**
     * Python's {@code cancelled()}.
     *
     * @return true if the future was cancelled
     */
    public boolean cancelled() {
        return isCancelled();
    }

    /**
     * Python's {@code running()}: a worker has taken the task and it is not done.
     *
     * @return true while a worker runs the task
     */
    public boolean running() {
        return (int) STATE.getVolatile(this) == RUNNING && !isDone();
    }

    /**
     * Python's {@code done()}: completed normally, exceptionally, or cancelled.
     *
     * @return true once the future is done, however it ended
     */
    public boolean done() {
        return isDone();
    }

    // ---------------------------------------------------------------- for executors

    /**
     * Python's {@code set_running_or_notify_cancel()}, for executors: marks the future running
     * and returns true, or returns false if it was cancelled (or completed) first and the task
     * must not run.
     *
     * @return true if the task may now run, false if the future was cancelled or completed first
     */
    public boolean setRunningOrNotifyCancel() {
        return STATE.compareAndSet(this, PENDING, RUNNING) && !isDone();
    }

    /** Records the thread running the task, so {@code cancel(true)} can interrupt it. */
    final synchronized void runningIn(java.lang.Thread thread) {
        runner = thread;
    }

    /**
     * The task has returned: no interrupt may reach its thread any more. Clears a stray interrupt
     * that a racing {@code cancel(true)} may have left, so it cannot hit the next task.
     */
    final void ranIn() {
        synchronized (this) {
            runner = null;
        }
        java.lang.Thread.interrupted();
    }

    @Override
    public String toString() {
        String what;
        if (isCancelled()) {
            what = "cancelled";
        } else if (isCompletedExceptionally()) {
            what = "finished raised " + exceptionNow().getClass().getName();
        } else if (isDone()) {
            Object v = resultNow();
            what = "finished returned " + (v == null ? "null" : v.getClass().getName());
        } else {
            what = running() ? "running" : "pending";
        }
        return "<Future@" + Integer.toHexString(System.identityHashCode(this)) + " state=" + what + ">";
    }
}
