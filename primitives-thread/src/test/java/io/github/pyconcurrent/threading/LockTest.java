package io.github.pyconcurrent.threading;

import io.github.pyconcurrent.threading.suites.LockTests;

/** The lock_tests suite for {@link Lock}. */
class LockTest extends LockTests {
    @Override
    protected LockLike newLock() {
        return new Lock();
    }
}
