package io.github.pyconcurrent.multiprocessing;

import java.io.Serial;

/**
 * The worker JVM running a task died before answering (killed by a signal, out of memory,
 * {@code System.exit}). The task's {@link AsyncResult} fails with this as the cause; the pool
 * replaces the worker and every other task goes on. CPython's {@code Pool} hangs forever in this
 * case (python/cpython gh-66587); this is a deliberate difference.
 */
public class WorkerDiedError extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The worker's pid. */
    private final long pid;
    /**
     * How the worker ended, in {@link Process#exitCode()}'s convention, or {@link #EXIT_UNKNOWN}.
     */
    private final int exitCode;

    /**
     * A child of this JVM died while it ran the task; the message says which and how.
     *
     * @param pid      the worker's pid
     * @param exitCode how it ended, in {@link Process#exitCode()}'s convention ({@code -9}: SIGKILL)
     */
    public WorkerDiedError(long pid, int exitCode) {
        super("worker pid " + pid + " died while running the task: " + ExitStatus.describe(exitCode));
        this.pid = pid;
        this.exitCode = exitCode;
    }

    /**
     * A worker that is not a child of this JVM died (a cluster member on another machine): the
     * message says which and how; {@code exitCode} is {@link #EXIT_UNKNOWN} when nobody here saw it end.
     *
     * @param message which worker died, where and how
     * @param pid the worker's pid on its machine
     * @param exitCode how it ended, or {@link #EXIT_UNKNOWN}
     */
    public WorkerDiedError(String message, long pid, int exitCode) {
        super(message);
        this.pid = pid;
        this.exitCode = exitCode;
    }

    /** {@link #exitCode()} of a worker whose end was not observed here (it ran on another machine). */
    public static final int EXIT_UNKNOWN = Integer.MIN_VALUE;

    /**
     * The pid of the worker that died (on its own machine for a cluster member).
     *
     * @return the pid
     */
    public long pid() {
        return pid;
    }

    /**
     * Python's exit code convention: {@code -N} for signal N, else the exit status.
     *
     * @return {@code -N} if signal N killed it, the exit status if it exited, or
     *     {@link #EXIT_UNKNOWN}
     */
    public int exitCode() {
        return exitCode;
    }
}
