package io.github.pyconcurrent.threading;

import io.github.pyconcurrent.threading.suites.BoundedSemaphoreTests;

/** The lock_tests suite for {@link BoundedSemaphore}. */
class BoundedSemaphoreTest extends BoundedSemaphoreTests {
    @Override
    protected SemaphoreLike newBoundedSemaphore(int value) {
        return new BoundedSemaphore(value);
    }
}
