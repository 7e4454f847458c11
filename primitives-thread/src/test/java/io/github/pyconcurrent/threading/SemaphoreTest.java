package io.github.pyconcurrent.threading;

import io.github.pyconcurrent.threading.suites.SemaphoreTests;

/** The lock_tests suite for {@link Semaphore}. */
class SemaphoreTest extends SemaphoreTests {
    @Override
    protected SemaphoreLike newSemaphore(int value) {
        return new Semaphore(value);
    }
}
