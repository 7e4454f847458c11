package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.threading.BarrierLike;
import io.github.pyconcurrent.threading.suites.BarrierTests;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;

/** The lock_tests suite (BarrierTests) for the process-shared {@link Barrier}, within one JVM. */
class SharedBarrierTest extends BarrierTests {
    @Override
    protected BarrierLike newBarrier(int parties, Runnable actionOrNull, Duration timeoutOrNull) {
        return new Barrier(parties, actionOrNull, timeoutOrNull);
    }

    @AfterAll
    static void nothingLeftInDevShm() {
        System.gc();
        ShmLeaks.assertNoStrays();
    }
}
