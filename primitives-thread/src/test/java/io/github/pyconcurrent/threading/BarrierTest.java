package io.github.pyconcurrent.threading;

import static io.github.pyconcurrent.threading.suites.Blocking.async;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.threading.suites.BarrierTests;
import io.github.pyconcurrent.threading.suites.Blocking;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The lock_tests suite for {@link Barrier}, plus its in-JVM interrupt behaviour. */
class BarrierTest extends BarrierTests {
    @Override
    protected BarrierLike newBarrier(int parties, Runnable actionOrNull, Duration timeoutOrNull) {
        return new Barrier(parties, actionOrNull, timeoutOrNull);
    }

    @Test
    @DisplayName("an interrupted waiter gets UncheckedInterruptedException (flag set) and the barrier breaks for the others")
    void interruptBreaks() {
        Barrier b = new Barrier(3);
        var other = async(() -> b.waitFor(Blocking.TIMEOUT));
        var interrupted = async(() -> {
            try {
                return "index " + b.waitFor(Blocking.TIMEOUT);
            } catch (UncheckedInterruptedException e) {
                return "interrupted, flag=" + java.lang.Thread.currentThread().isInterrupted();
            }
        });
        Blocking.awaitCondition(() -> b.nWaiting() == 2, "two waiting");
        interrupted.thread().interrupt();
        assertEquals("interrupted, flag=true", interrupted.get());
        assertInstanceOf(BrokenBarrierError.class, other.failure());
        assertTrue(b.isBroken());
    }
}
