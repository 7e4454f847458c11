package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.threading.EventLike;
import io.github.pyconcurrent.threading.suites.EventTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lock_tests suite (EventTests) for the process-shared {@link Event}, each one created by another
 * JVM ({@link RemoteFactory}): this JVM only attaches to segments that process owns.
 */
class SharedEventCreatedElsewhereTest extends EventTests {
    @RegisterExtension
    static final RemoteFactoryFixture factory = new RemoteFactoryFixture();

    @Override
    protected EventLike newEvent() {
        return factory.create("Event", 0);
    }
}
