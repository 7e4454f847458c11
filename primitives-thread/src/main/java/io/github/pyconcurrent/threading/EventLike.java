package io.github.pyconcurrent.threading;

import java.time.Duration;

/** An {@link Event}, of this package or process-shared. */
public interface EventLike {
    /** Sets the flag and wakes every waiter. */
    void set();

    /** Clears the flag. */
    void clear();

    /**
     * Returns whether the flag is set.
     *
     * @return true if the flag is set now
     */
    boolean isSet();

    /**
     * Waits until the flag is set; returns {@code true}. Python's {@code wait()}.
     *
     * @return {@code true}
     * @throws UncheckedInterruptedException if the calling thread is interrupted while it waits
     */
    boolean waitFor();

    /**
     * Waits at most {@code timeout} for the flag; returns {@code true} if it was set while this
     * call waited (even if cleared again before the waiter ran), {@code false} on timeout. A
     * negative timeout does not wait; {@code null} waits forever (Python's {@code None}).
     *
     * @param timeout how long to wait at most; {@code null} waits for ever, negative not at all
     * @return whether the flag was set within {@code timeout}
     * @throws UncheckedInterruptedException if the calling thread is interrupted while it waits
     */
    boolean waitFor(java.time.Duration timeout);
}
