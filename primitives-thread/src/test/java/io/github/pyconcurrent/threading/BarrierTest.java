package io.github.pyconcurrent.threading;

import io.github.pyconcurrent.threading.suites.BarrierTests;
import java.time.Duration;

/** The lock_tests suite for {@link Barrier}. */
class BarrierTest extends BarrierTests {
    @Override
    protected BarrierLike newBarrier(int parties, Runnable actionOrNull, Duration timeoutOrNull) {
        return new Barrier(parties, actionOrNull, timeoutOrNull);
    }
}
