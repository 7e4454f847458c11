package io.github.pyconcurrent.threading.suites;

import static io.github.pyconcurrent.threading.suites.Blocking.async;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.threading.LockLike;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CPython lock_tests' {@code LockTests}: a plain, non-re-entrant lock (threading.Lock or the
 * process-shared Lock). Concrete subclasses supply {@link #newLock()}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class LockTests extends BaseLockTests {

    /** A new, unlocked plain lock of the type under test. */
    protected abstract LockLike newLock();

    @Override
    protected final LockLike createLock() {
        return newLock();
    }

    @Test
    @DisplayName("releasing an unlocked Lock throws IllegalStateException")
    void releaseUnlockedThrows() {
        LockLike lock = newLock();
        assertThrows(IllegalStateException.class, lock::release);
        lock.acquire();
        lock.release();
        assertThrows(IllegalStateException.class, lock::release);
        assertFalse(lock.locked());
    }

    @Test
    @DisplayName("a Lock is not re-entrant: its holder cannot acquire it again")
    void notReentrant() {
        LockLike lock = newLock();
        lock.acquire();
        assertFalse(lock.acquire(false));
        assertFalse(lock.acquire(Duration.ofMillis(20)));
        lock.release();
    }

    @Test
    @DisplayName("a Lock may be released by a thread other than the one that acquired it")
    void releasedByOtherThread() {
        LockLike lock = newLock();
        lock.acquire();
        async(lock::release).get();
        assertFalse(lock.locked());
        assertTrue(lock.acquire(false));
        lock.release();
    }

    @Test
    @DisplayName("a Lock works as a binary signal: a thread blocked re-acquiring it is freed by another thread's release")
    void signalAcrossThreads() {
        LockLike lock = newLock();
        lock.acquire();
        var waiter = async(() -> lock.acquire()).assertBlocked();
        async(lock::release).get();
        assertTrue(waiter.get());
        assertTrue(lock.locked()); // now held on behalf of the waiter
        lock.release();
    }
}
