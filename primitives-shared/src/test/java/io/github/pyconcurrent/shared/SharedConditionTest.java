package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.threading.ConditionLike;
import io.github.pyconcurrent.threading.LockLike;
import io.github.pyconcurrent.threading.suites.ConditionTests;
import org.junit.jupiter.api.AfterAll;

/** The lock_tests suite (ConditionTests) for the process-shared {@link Condition}, within one JVM. */
class SharedConditionTest extends ConditionTests {
    @Override
    protected ConditionLike newCondition() {
        return new Condition();
    }

    @Override
    protected ConditionLike newCondition(LockLike lock) {
        return switch (lock) {
            case Lock l -> new Condition(l);
            case RLock r -> new Condition(r);
            default -> throw new IllegalArgumentException("not a process-shared lock: " + lock);
        };
    }

    @Override
    protected LockLike newLock() {
        return new Lock();
    }

    @Override
    protected LockLike newRLock() {
        return new RLock();
    }

    @AfterAll
    static void nothingLeftInDevShm() {
        System.gc();
        ShmLeaks.assertNoStrays();
    }
}
