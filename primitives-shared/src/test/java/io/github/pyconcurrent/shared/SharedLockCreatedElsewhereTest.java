package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.threading.LockLike;
import io.github.pyconcurrent.threading.suites.LockTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lock_tests suite (LockTests) for the process-shared {@link Lock}, each one created by another
 * JVM ({@link RemoteFactory}): this JVM only attaches to segments that process owns.
 */
class SharedLockCreatedElsewhereTest extends LockTests {
    @RegisterExtension
    static final RemoteFactoryFixture factory = new RemoteFactoryFixture();

    @Override
    protected LockLike newLock() {
        return factory.create("Lock", 0);
    }
}
