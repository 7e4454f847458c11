package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.internal.Timeouts;
import io.github.pyconcurrent.shared.internal.SharedMemoryLayout;
import io.github.pyconcurrent.threading.EventLike;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;

/**
 * A flag shared between processes that threads of any process can wait for: Python's
 * {@code multiprocessing.Event}, with the methods of {@code threading.Event}.
 *
 * <pre>{@code
 * Event ready = new Event();
 * // child JVM: ...; ready.set();
 * ready.waitFor(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>{@link #waitFor(Duration)} returns {@code true} if the flag was set while it waited, even if
 * it was cleared again before the waiter ran (a generation count in the word tells it).
 *
 * <p>Memory consistency: actions before {@code set()} happen-before the return of a
 * {@code waitFor} or {@code isSet} that observes it, across processes.
 *
 * <p>Serializable as a handle to the same shared event.
 */
public final class Event extends SegmentPrimitive implements EventLike, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient int state;
    private final transient int sleepers;

    /** A new event, not set. */
    public Event() {
        this(SharedMemory.createAnonymous("event", EventLayout.SIZE), SharedMemoryLayout.HEADER_SIZE);
    }

    Event(SharedMemory shm, int base) {
        super(shm, base);
        this.state = base + EventLayout.STATE;
        this.sleepers = base + EventLayout.SLEEPERS;
    }

    @Override
    public void set() {
        int s;
        do {
            s = (int) Words.INT.getVolatile(buf, state);
            if ((s & 1) != 0) {
                return;
            }
        } while (!Words.INT.compareAndSet(buf, state, s, (((s >>> 1) + 1) << 1) | 1));
        if ((int) Words.INT.getVolatile(buf, sleepers) != 0) {
            Futex.wake(shm.address() + state, Integer.MAX_VALUE);
        }
    }

    @Override
    public void clear() {
        int s;
        do {
            s = (int) Words.INT.getVolatile(buf, state);
            if ((s & 1) == 0) {
                return;
            }
        } while (!Words.INT.compareAndSet(buf, state, s, s & ~1));
    }

    @Override
    public boolean isSet() {
        return ((int) Words.INT.getVolatile(buf, state) & 1) != 0;
    }

    @Override
    public boolean waitFor() {
        return waitFor(Timeouts.FOREVER);
    }

    @Override
    public boolean waitFor(Duration timeout) {
        return waitFor(Timeouts.waitNanos(timeout));
    }

    private boolean waitFor(long timeoutNanos) {
        int seen = (int) Words.INT.getVolatile(buf, state);
        if ((seen & 1) != 0) {
            return true;
        }
        if (timeoutNanos == 0) {
            return false;
        }
        final long start = System.nanoTime();
        Words.INT.getAndAdd(buf, sleepers, 1);
        try {
            while (true) {
                // Only set() changes the word from a clear state (clear() of a clear flag is a
                // no-op), so any change means a set happened while we waited.
                if ((int) Words.INT.getVolatile(buf, state) != seen) {
                    return true;
                }
                if (Thread.interrupted()) {
                    throw UncheckedInterruptedException.restore(new InterruptedException());
                }
                long slice = WaitSlices.nextSlice(start, timeoutNanos);
                if (slice == 0) {
                    return false;
                }
                Futex.await(shm.address() + state, seen, slice);
            }
        } finally {
            Words.INT.getAndAdd(buf, sleepers, -1);
        }
    }

    @Override
    public String toString() {
        return "shared.Event[" + (isSet() ? "set" : "unset") + "]";
    }
}
