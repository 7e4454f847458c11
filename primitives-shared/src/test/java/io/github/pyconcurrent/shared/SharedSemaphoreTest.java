package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.threading.SemaphoreLike;
import io.github.pyconcurrent.threading.suites.SemaphoreTests;
import org.junit.jupiter.api.AfterAll;

/** The lock_tests suite (SemaphoreTests) for the process-shared {@link Semaphore}, within one JVM. */
class SharedSemaphoreTest extends SemaphoreTests {
    @Override
    protected SemaphoreLike newSemaphore(int value) {
        return new Semaphore(value);
    }

    @AfterAll
    static void nothingLeftInDevShm() {
        System.gc(); // segments of garbage primitives are unlinked by their cleaner
        ShmLeaks.assertNoStrays();
    }
}
