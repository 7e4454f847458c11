package io.github.pyconcurrent.shared;

import java.io.Serial;

/**
 * A {@link Semaphore} whose value may never exceed its initial value: releasing more than was
 * acquired throws {@link IllegalArgumentException} (Python's {@code ValueError}). Python's
 * {@code multiprocessing.BoundedSemaphore}; shared between processes and robust as
 * {@link Semaphore}.
 *
 * <pre>{@code
 * BoundedSemaphore pool = new BoundedSemaphore(2);
 * try (var held = pool.hold()) { ... }
 * }</pre>
 */
public final class BoundedSemaphore extends Semaphore {
    @Serial
    private static final long serialVersionUID = 1L;

    /** A bounded semaphore with one permit. */
    public BoundedSemaphore() {
        this(1);
    }

    /**
     * A bounded semaphore with {@code value} permits, which is also its bound.
     *
     * @param value the number of permits at the start, and the most there may be
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BoundedSemaphore(int value) {
        super(value, value);
    }

    BoundedSemaphore(SharedMemory shm, int base) {
        super(shm, base);
    }
}
