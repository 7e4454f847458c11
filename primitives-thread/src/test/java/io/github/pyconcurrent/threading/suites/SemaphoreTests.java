package io.github.pyconcurrent.threading.suites;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pyconcurrent.threading.SemaphoreLike;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CPython lock_tests' {@code SemaphoreTests}: an unbounded semaphore (threading.Semaphore or the
 * process-shared one). Concrete subclasses supply {@link #newSemaphore(int)}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class SemaphoreTests extends BaseSemaphoreTests {

    /** A new unbounded semaphore with {@code value} permits. */
    protected abstract SemaphoreLike newSemaphore(int value);

    @Override
    protected final SemaphoreLike createSemaphore(int value) {
        return newSemaphore(value);
    }

    @Test
    @DisplayName("an unbounded semaphore may be released beyond its initial value")
    void releaseBeyondInitial() {
        SemaphoreLike sem = newSemaphore(1);
        sem.release();
        sem.release(3);
        assertEquals(5, drain(sem, 10));
    }
}
