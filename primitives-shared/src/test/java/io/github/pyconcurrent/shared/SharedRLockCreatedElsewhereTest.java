package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.threading.LockLike;
import io.github.pyconcurrent.threading.suites.RLockTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lock_tests suite (RLockTests) for the process-shared {@link RLock}, each one created by another
 * JVM ({@link RemoteFactory}): this JVM only attaches to segments that process owns.
 */
class SharedRLockCreatedElsewhereTest extends RLockTests {
    @RegisterExtension
    static final RemoteFactoryFixture factory = new RemoteFactoryFixture();

    @Override
    protected LockLike newRLock() {
        return factory.create("RLock", 0);
    }
}
