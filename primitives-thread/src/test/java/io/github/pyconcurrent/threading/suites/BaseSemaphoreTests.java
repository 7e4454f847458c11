package io.github.pyconcurrent.threading.suites;

import static io.github.pyconcurrent.threading.suites.Blocking.async;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.threading.Held;
import io.github.pyconcurrent.threading.SemaphoreLike;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CPython lock_tests' {@code BaseSemaphoreTests}: what every semaphore (bounded or not, thread or
 * process-shared) must do. Subclassed by {@link SemaphoreTests} and {@link BoundedSemaphoreTests}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class BaseSemaphoreTests {

    /** A new semaphore of the type under test with {@code value} permits. */
    protected abstract SemaphoreLike createSemaphore(int value);

    /** Takes every free permit without blocking; returns how many there were (at most {@code max}). */
    static int drain(SemaphoreLike sem, int max) {
        int n = 0;
        while (n < max && sem.acquire(false)) {
            n++;
        }
        return n;
    }

    /** A semaphore of the given value with all its permits taken, so that releases stay within a bound. */
    private SemaphoreLike drained(int value) {
        SemaphoreLike sem = createSemaphore(value);
        assertEquals(value, drain(sem, value));
        return sem;
    }

    @Test
    @DisplayName("a semaphore of value n grants exactly n non-blocking acquires")
    void countsPermits() {
        SemaphoreLike sem = createSemaphore(3);
        assertTrue(sem.acquire());
        assertTrue(sem.acquire(false));
        assertTrue(sem.acquire(Duration.ZERO));
        assertFalse(sem.acquire(false));
        sem.release();
        assertTrue(sem.acquire(false));
        assertFalse(sem.acquire(false));
        sem.release(3);
        assertEquals(3, drain(sem, 10));
    }

    @Test
    @DisplayName("a semaphore of value 0 starts with no permit")
    void zeroValue() {
        SemaphoreLike sem = createSemaphore(0);
        assertFalse(sem.acquire(false));
        assertFalse(sem.acquire(Duration.ofMillis(10)));
    }

    @Test
    @DisplayName("a negative initial value throws IllegalArgumentException")
    void negativeValue() {
        assertThrows(IllegalArgumentException.class, () -> createSemaphore(-1));
    }

    @Test
    @DisplayName("acquire() blocks at zero permits until another thread releases one")
    void acquireBlocks() {
        SemaphoreLike sem = drained(1);
        var waiter = async(() -> sem.acquire()).assertBlocked();
        sem.release();
        assertTrue(waiter.get());
        assertFalse(sem.acquire(false));
    }

    @Test
    @DisplayName("acquire(timeout) returns false when no permit comes, true when one is released in time")
    void acquireTimeout() {
        SemaphoreLike sem = drained(1);
        assertFalse(sem.acquire(Duration.ofMillis(30)));
        var waiter = async(() -> sem.acquire(Blocking.TIMEOUT)).assertBlocked();
        sem.release();
        assertTrue(waiter.get());
    }

    @Test
    @DisplayName("release(n) lets exactly n blocked acquirers through")
    void releaseN() {
        SemaphoreLike sem = drained(3);
        AtomicInteger passed = new AtomicInteger();
        try (Bunch bunch = Bunch.start(3, i -> {
            sem.acquire();
            passed.incrementAndGet();
        })) {
            bunch.awaitStarted();
            bunch.awaitParked();
            sem.release(2);
            bunch.awaitFinishedCount(2);
            Blocking.assertStays(() -> passed.get() == 2, "only two acquirers passed release(2)");
            sem.release();
            bunch.awaitFinished();
        }
        assertEquals(3, passed.get());
        assertFalse(sem.acquire(false));
    }

    @Test
    @DisplayName("release(n) with n < 1 throws IllegalArgumentException")
    void releaseNonPositive() {
        SemaphoreLike sem = createSemaphore(1);
        assertThrows(IllegalArgumentException.class, () -> sem.release(0));
        assertThrows(IllegalArgumentException.class, () -> sem.release(-1));
        assertEquals(1, drain(sem, 10));
    }

    @Test
    @DisplayName("hold() takes a permit and closing releases it")
    void hold() {
        SemaphoreLike sem = createSemaphore(1);
        try (Held held = sem.hold()) {
            assertFalse(sem.acquire(false));
        }
        assertTrue(sem.acquire(false));
        sem.release();
    }

    @Test
    @DisplayName("never more than n threads hold permits of a semaphore of value n")
    void limitsConcurrency() {
        SemaphoreLike sem = createSemaphore(2);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        try (Bunch bunch = Bunch.start(6, i -> {
            for (int r = 0; r < 100; r++) {
                try (Held held = sem.hold()) {
                    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    java.lang.Thread.yield();
                    inside.decrementAndGet();
                }
            }
        })) {
            bunch.awaitFinished();
        }
        assertTrue(maxInside.get() <= 2, "max inside " + maxInside.get());
        assertEquals(2, drain(sem, 10));
    }

    @Test
    @DisplayName("an interrupt while blocked in acquire throws UncheckedInterruptedException and restores the flag")
    void interrupt() {
        SemaphoreLike sem = createSemaphore(0);
        var waiter = async(() -> {
            try {
                sem.acquire();
                return "acquired";
            } catch (UncheckedInterruptedException e) {
                return "interrupted, flag=" + java.lang.Thread.currentThread().isInterrupted();
            }
        }).assertBlocked();
        waiter.thread().interrupt();
        assertEquals("interrupted, flag=true", waiter.get());
        var timed = async(() -> sem.acquire(Blocking.TIMEOUT)).assertBlocked();
        timed.thread().interrupt();
        assertInstanceOf(UncheckedInterruptedException.class, timed.failure());
        assertFalse(sem.acquire(false)); // no permit was lost or invented
    }
}
