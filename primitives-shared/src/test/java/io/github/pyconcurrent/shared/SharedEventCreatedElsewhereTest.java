package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.threading.EventLike;
import io.github.pyconcurrent.threading.suites.EventTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The lock_tests suite (EventTests) for the process-shared {@link Event}, each one created by another
 * JVM ({@link RemoteFactory}): this JVM only attaches to segments that process owns.
 */
class SharedEventCreatedElsewhereTest extends EventTests {
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
    protected EventLike newEvent() {
        return factory.create("Event", 0);
    }
}
