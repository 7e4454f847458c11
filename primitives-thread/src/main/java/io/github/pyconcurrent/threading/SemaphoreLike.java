package io.github.pyconcurrent.threading;

/** A {@link Semaphore} or {@link BoundedSemaphore}, of this package or process-shared. */
public interface SemaphoreLike extends Acquirable {
    /**
     * Releases {@code n} permits at once, waking up to {@code n} waiters (Python 3.9's
     * {@code release(n)}). {@code n < 1} throws {@link IllegalArgumentException}.
     *
     * @param n the number of permits to release
     * @throws IllegalArgumentException if {@code n} is less than 1, or (a bounded semaphore) the permits would exceed the initial value
     */
    void release(int n);
}
