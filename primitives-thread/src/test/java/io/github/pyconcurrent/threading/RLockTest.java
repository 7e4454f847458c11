package io.github.pyconcurrent.threading;

import io.github.pyconcurrent.threading.suites.RLockTests;

/** The lock_tests suite for {@link RLock}. */
class RLockTest extends RLockTests {
    @Override
    protected LockLike newRLock() {
        return new RLock();
    }
}
