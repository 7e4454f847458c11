package io.github.pyconcurrent.threading.suites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.pyconcurrent.threading.SemaphoreLike;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CPython lock_tests' {@code BoundedSemaphoreTests}. Concrete subclasses supply
 * {@link #newBoundedSemaphore(int)}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class BoundedSemaphoreTests extends BaseSemaphoreTests {

    /** A new bounded semaphore with {@code value} permits, at most {@code value}. */
    protected abstract SemaphoreLike newBoundedSemaphore(int value);

    @Override
    protected final SemaphoreLike createSemaphore(int value) {
        return newBoundedSemaphore(value);
    }

    @Test
    @DisplayName("releasing a bounded semaphore above its initial value throws IllegalArgumentException")
    void overReleaseThrows() {
        SemaphoreLike sem = newBoundedSemaphore(2);
        assertThrows(IllegalArgumentException.class, sem::release);
        sem.acquire();
        sem.release();
        assertThrows(IllegalArgumentException.class, sem::release);
        assertEquals(2, drain(sem, 10));
    }

    @Test
    @DisplayName("release(n) that would exceed the bound throws and adds no permit")
    void overReleaseNAddsNothing() {
        SemaphoreLike sem = newBoundedSemaphore(3);
        sem.acquire();
        sem.acquire();
        assertThrows(IllegalArgumentException.class, () -> sem.release(3));
        assertEquals(1, drain(sem, 10));
        sem.release(3);
        assertEquals(3, drain(sem, 10));
    }

    @Test
    @DisplayName("over-release is caught even when threads release concurrently: exactly the taken permits come back")
    void overReleaseAcrossThreads() {
        int value = 4;
        int releasers = 12;
        SemaphoreLike sem = newBoundedSemaphore(value);
        assertEquals(value, drain(sem, value));
        CountDownLatch go = new CountDownLatch(1);
        List<Throwable> errors;
        try (Bunch bunch = Bunch.start(releasers, i -> {
            go.await();
            sem.release();
        })) {
            bunch.awaitStarted();
            go.countDown();
            errors = bunch.awaitFinishedCollectingErrors();
        }
        assertEquals(releasers - value, errors.size(), "rejected releases");
        for (Throwable e : errors) {
            assertInstanceOf(IllegalArgumentException.class, e);
        }
        assertEquals(value, drain(sem, 100));
    }
}
