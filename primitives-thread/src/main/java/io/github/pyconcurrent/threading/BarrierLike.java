package io.github.pyconcurrent.threading;

import java.time.Duration;

/** A {@link Barrier}, of this package or process-shared. */
public interface BarrierLike {
    /**
     * Waits until all parties have arrived; returns this caller's arrival index, 0 to
     * {@code parties() - 1}. Throws {@link BrokenBarrierError} if the barrier is or becomes broken.
     */
    int waitFor();

    /**
     * As {@link #waitFor()}; a timeout breaks the barrier and throws {@link BrokenBarrierError}.
     * {@code null} means the barrier's default timeout (Python's {@code timeout=None}).
     */
    int waitFor(Duration timeout);

    /** Returns the barrier to its initial state; current waiters get {@link BrokenBarrierError}. */
    void reset();

    /** Breaks the barrier: current and future waiters get {@link BrokenBarrierError}. */
    void abort();

    boolean isBroken();

    int parties();

    /** The number of parties waiting now. */
    int nWaiting();
}
