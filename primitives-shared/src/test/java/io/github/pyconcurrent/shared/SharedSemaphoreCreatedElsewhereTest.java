package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.threading.SemaphoreLike;
import io.github.pyconcurrent.threading.suites.SemaphoreTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The lock_tests suite (SemaphoreTests) for the process-shared {@link Semaphore}, each one created by another
 * JVM ({@link RemoteFactory}): this JVM only attaches to segments that process owns.
 */
class SharedSemaphoreCreatedElsewhereTest extends SemaphoreTests {
    private static RemoteFactory factory;

    @BeforeAll
    static void startFactory() {
        factory = new RemoteFactory();
    }

    @AfterAll
    static void stopFactory() {
        factory.close();
        ShmLeaks.assertNoStrays();
    }

    @Override
    protected SemaphoreLike newSemaphore(int value) {
        return factory.create("Semaphore", value);
    }
}
