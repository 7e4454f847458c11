package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.internal.Timeouts;
import io.github.pyconcurrent.threading.Acquirable;
import java.io.Serial;
import java.time.Duration;

/**
 * The acquire side shared by the process-shared {@link Lock}, {@link RLock} and {@link Semaphore}:
 * Python's three ways of calling {@code acquire} (blocking, non-blocking, with a timeout) as one
 * timed acquire, and what {@link #ownerDied()} reports: whether the latest acquisition in this
 * JVM recovered what a process that died had left held.
 */
abstract class RobustAcquire extends SegmentPrimitive implements Acquirable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Set by an acquire that recovered from a dead process, cleared by the next plain one (this JVM). */
    private transient boolean ownerDied;

    RobustAcquire(SharedMemory shm, int base) {
        super(shm, base);
    }

    @Override
    public boolean acquire() {
        return acquireNanos(Timeouts.FOREVER);
    }

    @Override
    public boolean acquire(boolean blocking) {
        return acquireNanos(blocking ? Timeouts.FOREVER : 0);
    }

    @Override
    public boolean acquire(Duration timeout) {
        return acquireNanos(Timeouts.acquireNanos(timeout));
    }

    /**
     * Acquires, waiting at most {@code timeoutNanos} (0: not at all; negative, as
     * {@link Timeouts#FOREVER}: forever); true if acquired.
     */
    abstract boolean acquireNanos(long timeoutNanos);

    /**
     * Records how the acquisition that just succeeded went, for {@link #ownerDied()}.
     *
     * @param recovered whether it recovered from a process that died holding the lock or permits
     * @return true, the acquire's result
     */
    final boolean acquired(boolean recovered) {
        if (ownerDied != recovered) { // no write on the fast path: the field is read far more than it changes
            ownerDied = recovered;
        }
        return true;
    }

    /**
     * Whether the latest acquisition in this JVM recovered from a process that died holding
     * what it acquires: took a lock over from it, or returned its permits to a semaphore (see the
     * class comment).
     *
     * @return true if this JVM's latest acquisition recovered from a dead process
     */
    public boolean ownerDied() {
        return ownerDied;
    }
}
