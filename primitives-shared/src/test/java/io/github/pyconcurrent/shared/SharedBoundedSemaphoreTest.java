package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.threading.SemaphoreLike;
import io.github.pyconcurrent.threading.suites.BoundedSemaphoreTests;
import org.junit.jupiter.api.AfterAll;

/** The lock_tests suite (BoundedSemaphoreTests) for the process-shared {@link BoundedSemaphore}, within one JVM. */
class SharedBoundedSemaphoreTest extends BoundedSemaphoreTests {
    @Override
    protected SemaphoreLike newBoundedSemaphore(int value) {
        return new BoundedSemaphore(value);
    }

    @AfterAll
    static void nothingLeftInDevShm() {
        System.gc(); // segments of garbage primitives are unlinked by their cleaner
        ShmLeaks.assertNoStrays();
    }
}
