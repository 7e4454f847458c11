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

    private final long pid;
    private final int exitCode;

    /**
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
     */
    public WorkerDiedError(String message, long pid, int exitCode) {
        super(message);
        this.pid = pid;
        this.exitCode = exitCode;
    }

    /** {@link #exitCode()} of a worker whose end was not observed here (it ran on another machine). */
    public static final int EXIT_UNKNOWN = Integer.MIN_VALUE;

    public long pid() {
        return pid;
    }

    /** Python's exit code convention: {@code -N} for signal N, else the exit status. */
    public int exitCode() {
        return exitCode;
    }
}
