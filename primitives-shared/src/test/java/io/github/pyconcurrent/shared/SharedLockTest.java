package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.threading.LockLike;
import io.github.pyconcurrent.threading.suites.LockTests;
import org.junit.jupiter.api.AfterAll;

/** The lock_tests suite (LockTests) for the process-shared {@link Lock}, within one JVM. */
class SharedLockTest extends LockTests {
    @Override
    protected LockLike newLock() {
        return new Lock();
    }

    @AfterAll
    static void nothingLeftInDevShm() {
        System.gc(); // segments of garbage primitives are unlinked by their cleaner
        ShmLeaks.assertNoStrays();
    }
}
