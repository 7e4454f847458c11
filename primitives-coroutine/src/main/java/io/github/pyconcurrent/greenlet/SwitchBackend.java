package io.github.pyconcurrent.greenlet;

/**
 * How a thread's greenlets hand the CPU to one another. Both operations are called on the
 * greenlets' home thread (or, on the virtual-thread backend, by the greenlet that currently holds
 * the thread's turn), after {@link GreenletThread#next} has been set to the strand to run.
 */
interface SwitchBackend {
    /** The name {@link Greenlet#backend()} reports. */
    String name();

    /**
     * Suspends {@code self} and runs {@code to}; returns when some greenlet switches back to
     * {@code self}. If the switch cannot be made, throws without having changed the current
     * greenlet.
     */
    void transfer(GreenletThread home, Strand self, Strand to);

    /** {@code self} has finished: runs {@code to} and lets {@code self}'s execution end. */
    void finish(GreenletThread home, Strand self, Strand to);
}
