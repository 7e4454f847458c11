package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.threading.LockLike;
import io.github.pyconcurrent.threading.suites.RLockTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The lock_tests suite (RLockTests) for the process-shared {@link RLock}, each one created by another
 * JVM ({@link RemoteFactory}): this JVM only attaches to segments that process owns.
 */
class SharedRLockCreatedElsewhereTest extends RLockTests {
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
    protected LockLike newRLock() {
        return factory.create("RLock", 0);
    }
}
