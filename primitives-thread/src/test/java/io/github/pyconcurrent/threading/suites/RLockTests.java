package io.github.pyconcurrent.threading.suites;

import static io.github.pyconcurrent.threading.suites.Blocking.async;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.threading.Held;
import io.github.pyconcurrent.threading.LockLike;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CPython lock_tests' {@code RLockTests}: a re-entrant lock (threading.RLock or the
 * process-shared RLock). Concrete subclasses supply {@link #newRLock()}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class RLockTests extends BaseLockTests {

    /** A new, unlocked re-entrant lock of the type under test. */
    protected abstract LockLike newRLock();

    @Override
    protected final LockLike createLock() {
        return newRLock();
    }

    @Test
    @DisplayName("an RLock is re-entrant: one release per acquire, locked until the last release")
    void reentrant() {
        LockLike lock = newRLock();
        assertTrue(lock.acquire());
        assertTrue(lock.acquire(false));
        assertTrue(lock.acquire(Duration.ofMillis(10)));
        lock.release();
        assertTrue(lock.locked());
        lock.release();
        assertTrue(lock.locked());
        lock.release();
        assertFalse(lock.locked());
        assertThrows(IllegalStateException.class, lock::release);
    }

    @Test
    @DisplayName("releasing an un-held RLock throws IllegalStateException")
    void releaseUnheldThrows() {
        LockLike lock = newRLock();
        assertThrows(IllegalStateException.class, lock::release);
    }

    @Test
    @DisplayName("release() by a thread that does not own the RLock throws IllegalStateException and leaves it held")
    void releaseByNonOwnerThrows() {
        LockLike lock = newRLock();
        lock.acquire();
        try {
            assertInstanceOf(IllegalStateException.class, async(lock::release).failure());
            assertTrue(lock.locked());
        } finally {
            lock.release();
        }
        assertFalse(lock.locked());
    }

    @Test
    @DisplayName("another thread cannot take an RLock held twice and released once")
    void heldUntilFullyReleased() {
        LockLike lock = newRLock();
        lock.acquire();
        lock.acquire();
        lock.release();
        assertFalse(async(() -> lock.acquire(false)).get());
        var waiter = async(() -> {
            boolean got = lock.acquire();
            lock.release();
            return got;
        }).assertBlocked();
        lock.release();
        assertTrue(waiter.get());
    }

    @Test
    @DisplayName("nested hold() blocks release level by level")
    void nestedHold() {
        LockLike lock = newRLock();
        try (Held outer = lock.hold()) {
            try (Held inner = lock.hold()) {
                assertTrue(lock.locked());
            }
            assertTrue(lock.locked());
            assertFalse(async(() -> lock.acquire(false)).get());
        }
        assertFalse(lock.locked());
    }
}
