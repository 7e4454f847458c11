package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.threading.SemaphoreLike;
import io.github.pyconcurrent.threading.suites.BoundedSemaphoreTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lock_tests suite (BoundedSemaphoreTests) for the process-shared {@link BoundedSemaphore}, each one created by another
 * JVM ({@link RemoteFactory}): this JVM only attaches to segments that process owns.
 */
class SharedBoundedSemaphoreCreatedElsewhereTest extends BoundedSemaphoreTests {
    @RegisterExtension
    static final RemoteFactoryFixture factory = new RemoteFactoryFixture();

    @Override
    protected SemaphoreLike newBoundedSemaphore(int value) {
        return factory.create("BoundedSemaphore", value);
    }
}
