package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.threading.SemaphoreLike;
import io.github.pyconcurrent.threading.suites.SemaphoreTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lock_tests suite (SemaphoreTests) for the process-shared {@link Semaphore}, each one created by another
 * JVM ({@link RemoteFactory}): this JVM only attaches to segments that process owns.
 */
class SharedSemaphoreCreatedElsewhereTest extends SemaphoreTests {
    @RegisterExtension
    static final RemoteFactoryFixture factory = new RemoteFactoryFixture();

    @Override
    protected SemaphoreLike newSemaphore(int value) {
        return factory.create("Semaphore", value);
    }
}
