package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.threading.LockLike;
import io.github.pyconcurrent.threading.suites.RLockTests;
import org.junit.jupiter.api.AfterAll;

/** The lock_tests suite (RLockTests) for the process-shared {@link RLock}, within one JVM. */
class SharedRLockTest extends RLockTests {
    @Override
    protected LockLike newRLock() {
        return new RLock();
    }

    @AfterAll
    static void nothingLeftInDevShm() {
        System.gc(); // segments of garbage primitives are unlinked by their cleaner
        ShmLeaks.assertNoStrays();
    }
}
