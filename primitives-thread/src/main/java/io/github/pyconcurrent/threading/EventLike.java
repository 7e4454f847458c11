package io.github.pyconcurrent.threading;

import java.time.Duration;

/** An {@link Event}, of this package or process-shared. */
public interface EventLike {
    /** Sets the flag and wakes every waiter. */
    void set();

    /** Clears the flag. */
    void clear();

    /** Returns whether the flag is set. */
    boolean isSet();

    /** Waits until the flag is set; returns {@code true}. Python's {@code wait()}. */
    boolean waitFor();

    /**
     * Waits at most {@code timeout} for the flag; returns {@code true} if it was set while this
     * call waited (even if cleared again before the waiter ran), {@code false} on timeout. A
     * negative timeout does not wait; {@code null} waits forever (Python's {@code None}).
     */
    boolean waitFor(java.time.Duration timeout);
}
