package io.github.pyconcurrent.threading;

/**
 * A semaphore that may not be released above its initial value: Python's
 * {@code threading.BoundedSemaphore}.
 *
 * <p>Releasing more often than acquiring is usually a bug; a {@code BoundedSemaphore} turns it
 * into an {@link IllegalArgumentException} (Python's {@code ValueError}) at the faulty
 * {@code release}. The check and the increment are one atomic step, so it holds even when threads
 * release concurrently; a {@code release(n)} that would exceed the bound adds nothing.
 *
 * <pre>{@code
 * BoundedSemaphore pool = new BoundedSemaphore(5);
 * try (var conn = pool.hold()) { ... }
 * pool.release();   // not acquired: throws IllegalArgumentException
 * }</pre>
 *
 * <p>Everything else is as for {@link Semaphore}.
 */
public class BoundedSemaphore extends Semaphore {

    /** Creates a bounded semaphore with one permit, at most one. */
    public BoundedSemaphore() {
        this(1);
    }

    /**
     * Creates a bounded semaphore with {@code value} permits, never more.
     *
     * @param value the number of permits at the start, and the most there may be
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BoundedSemaphore(int value) {
        super(value, value);
    }
}
