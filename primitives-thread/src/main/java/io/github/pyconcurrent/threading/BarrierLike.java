package io.github.pyconcurrent.threading;

import java.time.Duration;

/** A {@link Barrier}, of this package or process-shared. */
public interface BarrierLike {
    /**
     * Waits until all parties have arrived; returns this caller's arrival index, 0 to
     * {@code parties() - 1}. Throws {@link BrokenBarrierError} if the barrier is or becomes broken.
     *
     * @return this caller's arrival index, from 0 to {@code parties() - 1}
     * @throws BrokenBarrierError if the barrier is broken, or breaks while this caller waits
     */
    int waitFor();

    /**
     * As {@link #waitFor()}; a timeout breaks the barrier and throws {@link BrokenBarrierError}.
     * {@code null} means the barrier's default timeout (Python's {@code timeout=None}).
     *
     * @param timeout how long to wait at most; {@code null} for the barrier's default
     * @return this caller's arrival index, from 0 to {@code parties() - 1}
     * @throws BrokenBarrierError if the barrier is broken, breaks, or the timeout elapses first
     */
    int waitFor(Duration timeout);

    /** Returns the barrier to its initial state; current waiters get {@link BrokenBarrierError}. */
    void reset();

    /** Breaks the barrier: current and future waiters get {@link BrokenBarrierError}. */
    void abort();

    /**
     * Returns whether the barrier is broken (Python's {@code broken}).
     *
     * @return true if the barrier is broken, until {@code reset()}
     */
    boolean isBroken();

    /**
     * Returns the number of parties needed to pass the barrier.
     *
     * @return the number of parties
     */
    int parties();

    /**
     * The number of parties waiting now.
     *
     * @return the number of parties waiting now
     */
    int nWaiting();
}
