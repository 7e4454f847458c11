package io.github.pyconcurrent.threading.suites;

import static io.github.pyconcurrent.threading.suites.Blocking.async;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.threading.Held;
import io.github.pyconcurrent.threading.LockLike;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CPython lock_tests' {@code BaseLockTests}: what every lock (re-entrant or not, thread or
 * process-shared) must do. Uses only {@link LockLike}'s methods. Subclassed by {@link LockTests}
 * and {@link RLockTests}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class BaseLockTests {

    /** A new, unlocked lock of the type under test. */
    protected abstract LockLike createLock();

    @Test
    @DisplayName("a new lock is unlocked; acquire() locks it and returns true; release() unlocks it")
    void acquireRelease() {
        LockLike lock = createLock();
        assertFalse(lock.locked());
        assertTrue(lock.acquire());
        assertTrue(lock.locked());
        lock.release();
        assertFalse(lock.locked());
    }

    @Test
    @DisplayName("acquire(false) takes a free lock and returns true")
    void tryAcquireFree() {
        LockLike lock = createLock();
        assertTrue(lock.acquire(false));
        assertTrue(lock.locked());
        lock.release();
    }

    @Test
    @DisplayName("acquire(false) returns false at once while another thread holds the lock")
    void tryAcquireHeldElsewhere() {
        LockLike lock = createLock();
        lock.acquire();
        try {
            assertFalse(async(() -> lock.acquire(false)).get());
        } finally {
            lock.release();
        }
    }

    @Test
    @DisplayName("locked() is true, seen from another thread, while a thread holds the lock")
    void lockedSeenFromOtherThread() {
        LockLike lock = createLock();
        lock.acquire();
        assertTrue(async(lock::locked).get());
        lock.release();
        assertFalse(async(lock::locked).get());
    }

    @Test
    @DisplayName("acquire() blocks while another thread holds the lock, and returns true once released")
    void acquireBlocksUntilReleased() {
        LockLike lock = createLock();
        lock.acquire();
        var waiter = async(() -> {
            boolean got = lock.acquire();
            lock.release();
            return got;
        }).assertBlocked();
        lock.release();
        assertTrue(waiter.get());
        assertFalse(lock.locked());
    }

    @Test
    @DisplayName("acquire(timeout) returns false when the lock stays held by another thread")
    void acquireTimesOut() {
        LockLike lock = createLock();
        lock.acquire();
        try {
            assertFalse(async(() -> lock.acquire(Duration.ofMillis(50))).get());
            assertFalse(async(() -> lock.acquire(Duration.ZERO)).get());
        } finally {
            lock.release();
        }
    }

    @Test
    @DisplayName("acquire(timeout) returns true when the lock is released during the wait")
    void acquireWithTimeoutSucceedsOnRelease() {
        LockLike lock = createLock();
        lock.acquire();
        var waiter = async(() -> {
            boolean got = lock.acquire(Blocking.TIMEOUT);
            if (got) {
                lock.release();
            }
            return got;
        }).assertBlocked();
        lock.release();
        assertTrue(waiter.get());
    }

    @Test
    @DisplayName("acquire(negative timeout) waits forever, as Python's timeout=-1")
    void negativeTimeoutWaitsForever() {
        LockLike lock = createLock();
        lock.acquire();
        var waiter = async(() -> {
            boolean got = lock.acquire(Duration.ofSeconds(-1));
            lock.release();
            return got;
        }).assertBlocked();
        lock.release();
        assertTrue(waiter.get());
    }

    @Test
    @DisplayName("hold() acquires, and closing the Held releases exactly once, even on exception")
    void holdReleasesOnClose() {
        LockLike lock = createLock();
        try (Held held = lock.hold()) {
            assertTrue(lock.locked());
        }
        assertFalse(lock.locked());
        assertThrows(IllegalArgumentException.class, () -> {
            try (Held held = lock.hold()) {
                throw new IllegalArgumentException("boom");
            }
        });
        assertFalse(lock.locked());
        Held held = lock.hold();
        held.close();
        held.close(); // a second close does nothing
        assertFalse(lock.locked());
    }

    @Test
    @DisplayName("an interrupt while blocked in acquire() throws UncheckedInterruptedException and restores the flag")
    void interruptWhileBlocked() {
        LockLike lock = createLock();
        lock.acquire();
        try {
            var waiter = async(() -> {
                try {
                    lock.acquire();
                    lock.release();
                    return "acquired";
                } catch (UncheckedInterruptedException e) {
                    return "interrupted, flag=" + java.lang.Thread.currentThread().isInterrupted();
                }
            }).assertBlocked();
            waiter.thread().interrupt();
            assertEquals("interrupted, flag=true", waiter.get());
        } finally {
            lock.release();
        }
    }

    @Test
    @DisplayName("an interrupt while blocked in acquire(timeout) throws UncheckedInterruptedException")
    void interruptWhileBlockedTimed() {
        LockLike lock = createLock();
        lock.acquire();
        try {
            var waiter = async(() -> lock.acquire(Blocking.TIMEOUT)).assertBlocked();
            waiter.thread().interrupt();
            assertInstanceOf(UncheckedInterruptedException.class, waiter.failure());
        } finally {
            lock.release();
        }
    }

    @Test
    @DisplayName("mutual exclusion: concurrent increments under the lock are never lost")
    void mutualExclusion() {
        LockLike lock = createLock();
        int threads = 4;
        int rounds = 2_000;
        int[] counter = {0};
        CountDownLatch go = new CountDownLatch(1);
        try (Bunch bunch = Bunch.start(threads, i -> {
            go.await();
            for (int r = 0; r < rounds; r++) {
                try (Held held = lock.hold()) {
                    counter[0]++;
                }
            }
        })) {
            go.countDown();
            bunch.awaitFinished();
        }
        try (Held held = lock.hold()) {
            assertEquals(threads * rounds, counter[0]);
        }
    }

    @Test
    @DisplayName("at most one of many contending threads is inside the lock at a time")
    void oneAtATime() {
        LockLike lock = createLock();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        try (Bunch bunch = Bunch.start(5, i -> {
            for (int r = 0; r < 200; r++) {
                lock.acquire();
                try {
                    int now = inside.incrementAndGet();
                    maxInside.accumulateAndGet(now, Math::max);
                    java.lang.Thread.yield();
                    inside.decrementAndGet();
                } finally {
                    lock.release();
                }
            }
        })) {
            bunch.awaitFinished();
        }
        assertEquals(1, maxInside.get());
    }
}
