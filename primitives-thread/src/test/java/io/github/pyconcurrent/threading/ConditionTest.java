package io.github.pyconcurrent.threading;

import io.github.pyconcurrent.threading.suites.ConditionTests;

/** The lock_tests suite for {@link Condition} over this package's locks. */
class ConditionTest extends ConditionTests {
    @Override
    protected ConditionLike newCondition() {
        return new Condition();
    }

    @Override
    protected ConditionLike newCondition(LockLike lock) {
        return new Condition(lock);
    }

    @Override
    protected LockLike newLock() {
        return new Lock();
    }

    @Override
    protected LockLike newRLock() {
        return new RLock();
    }
}
