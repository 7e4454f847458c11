package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.threading.SemaphoreLike;
import io.github.pyconcurrent.threading.suites.BoundedSemaphoreTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The lock_tests suite (BoundedSemaphoreTests) for the process-shared {@link BoundedSemaphore}, each one created by another
 * JVM ({@link RemoteFactory}): this JVM only attaches to segments that process owns.
 */
class SharedBoundedSemaphoreCreatedElsewhereTest extends BoundedSemaphoreTests {
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
    protected SemaphoreLike newBoundedSemaphore(int value) {
        return factory.create("BoundedSemaphore", value);
    }
}
