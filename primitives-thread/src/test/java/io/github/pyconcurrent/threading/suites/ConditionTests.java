package io.github.pyconcurrent.threading.suites;

import static io.github.pyconcurrent.threading.suites.Blocking.async;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.threading.ConditionLike;
import io.github.pyconcurrent.threading.Held;
import io.github.pyconcurrent.threading.LockLike;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CPython lock_tests' {@code ConditionTests}: a condition variable over the default lock, a plain
 * lock and a re-entrant lock of the same family (thread or process-shared).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class ConditionTests {

    /** A condition over its default lock (a new RLock, as Python's). */
    protected abstract ConditionLike newCondition();

    /** A condition over {@code lock} (one made by {@link #newLock()} or {@link #newRLock()}). */
    protected abstract ConditionLike newCondition(LockLike lock);

    /** A new plain lock of the family under test. */
    protected abstract LockLike newLock();

    /** A new re-entrant lock of the family under test. */
    protected abstract LockLike newRLock();

    static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(Blocking.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "latch timed out");
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private List<ConditionLike> allKinds() {
        return List.of(newCondition(), newCondition(newLock()), newCondition(newRLock()));
    }

    @Test
    @DisplayName("waitFor, waitUntil and notify* without holding the lock throw IllegalStateException")
    void requiresLock() {
        for (ConditionLike cond : allKinds()) {
            assertThrows(IllegalStateException.class, cond::waitFor);
            assertThrows(IllegalStateException.class, () -> cond.waitFor(Duration.ofMillis(1)));
            assertThrows(IllegalStateException.class, () -> cond.waitUntil(() -> true, Duration.ofMillis(1)));
            assertThrows(IllegalStateException.class, () -> cond.waitUntil(() -> true));
            assertThrows(IllegalStateException.class, cond::notifyOne);
            assertThrows(IllegalStateException.class, () -> cond.notify(2));
            assertThrows(IllegalStateException.class, cond::notifyAllWaiters);
        }
    }

    @Test
    @DisplayName("waitFor/notify by a thread that does not hold the lock throw even while another thread holds it")
    void requiresOwnershipNotJustLocked() {
        ConditionLike cond = newCondition(newRLock());
        try (Held held = cond.hold()) {
            assertInstanceOf(IllegalStateException.class, async(() -> cond.waitFor(Duration.ofMillis(1))).failure());
            assertInstanceOf(IllegalStateException.class, async(cond::notifyOne).failure());
        }
    }

    @Test
    @DisplayName("acquire/release/hold act on the underlying lock")
    void acquireReleaseDelegate() {
        LockLike lock = newLock();
        ConditionLike cond = newCondition(lock);
        assertTrue(cond.acquire());
        assertTrue(lock.locked());
        cond.release();
        assertFalse(lock.locked());
        assertTrue(cond.acquire(false));
        assertFalse(async(() -> cond.acquire(Duration.ofMillis(10))).get());
        cond.release();
        try (Held held = cond.hold()) {
            assertTrue(lock.locked());
        }
        assertFalse(lock.locked());
    }

    @Test
    @DisplayName("waitFor(timeout) returns false when not notified, and holds the lock again afterwards")
    void waitTimesOut() {
        for (ConditionLike cond : allKinds()) {
            try (Held held = cond.hold()) {
                assertFalse(cond.waitFor(Duration.ofMillis(20)));
                assertFalse(cond.waitFor(Duration.ofMillis(-5)));
                assertFalse(cond.waitFor(Duration.ZERO));
                cond.notifyOne(); // still owned: does not throw
            }
        }
    }

    @Test
    @DisplayName("waitFor() returns true once notified, holding the lock")
    void waitNotified() {
        for (ConditionLike cond : allKinds()) {
            CountDownLatch holding = new CountDownLatch(1);
            var waiter = async(() -> {
                try (Held held = cond.hold()) {
                    holding.countDown();
                    boolean r = cond.waitFor(Blocking.TIMEOUT);
                    cond.notifyOne(); // proves the lock is held again
                    return r;
                }
            });
            await(holding);
            // The lock is free for this thread only once the waiter is inside waitFor.
            try (Held held = cond.hold()) {
                cond.notifyOne();
            }
            assertTrue(waiter.get());
        }
    }

    @Test
    @DisplayName("notifyOne wakes one waiter, notify(n) at most n, notifyAllWaiters the rest; none wake spuriously")
    void notifyCounts() {
        ConditionLike cond = newCondition();
        int n = 5;
        AtomicInteger entered = new AtomicInteger();
        AtomicInteger woken = new AtomicInteger();
        try (Bunch bunch = Bunch.start(n, i -> {
            try (Held held = cond.hold()) {
                entered.incrementAndGet();
                assertTrue(cond.waitFor());
                woken.incrementAndGet();
            }
        })) {
            // Every waiter is inside waitFor once it has counted itself and released the lock.
            Blocking.awaitCondition(() -> {
                try (Held held = cond.hold()) {
                    return entered.get() == n;
                }
            }, "all waiters entered");
            bunch.awaitParked();
            try (Held held = cond.hold()) {
                cond.notifyOne();
            }
            bunch.awaitFinishedCount(1);
            Blocking.assertStays(() -> woken.get() == 1, "exactly one waiter woken by notifyOne");
            try (Held held = cond.hold()) {
                cond.notify(2);
            }
            bunch.awaitFinishedCount(3);
            Blocking.assertStays(() -> woken.get() == 3, "exactly two more woken by notify(2)");
            try (Held held = cond.hold()) {
                cond.notifyAllWaiters();
            }
            bunch.awaitFinished();
            assertEquals(n, woken.get());
        }
    }

    @Test
    @DisplayName("notify with no waiters is a no-op and is not remembered")
    void notifyWithoutWaiters() {
        ConditionLike cond = newCondition();
        try (Held held = cond.hold()) {
            cond.notifyOne();
            cond.notifyAllWaiters();
            assertFalse(cond.waitFor(Duration.ofMillis(20)));
        }
    }

    @Test
    @DisplayName("waitUntil returns true at once, without waiting, if the predicate already holds")
    void waitUntilImmediate() {
        ConditionLike cond = newCondition();
        try (Held held = cond.hold()) {
            assertTrue(cond.waitUntil(() -> true, Duration.ZERO));
            assertTrue(cond.waitUntil(() -> true));
        }
    }

    @Test
    @DisplayName("waitUntil(predicate, timeout) returns false when the predicate stays false")
    void waitUntilTimesOut() {
        ConditionLike cond = newCondition();
        AtomicInteger calls = new AtomicInteger();
        try (Held held = cond.hold()) {
            assertFalse(cond.waitUntil(() -> {
                calls.incrementAndGet();
                return false;
            }, Duration.ofMillis(30)));
        }
        assertTrue(calls.get() >= 1);
    }

    @Test
    @DisplayName("waitUntil re-checks after each notification and returns the predicate's value once true")
    void waitUntilProgress() {
        ConditionLike cond = newCondition();
        int[] state = {0};
        var waiter = async(() -> {
            try (Held held = cond.hold()) {
                return cond.waitUntil(() -> state[0] == 3, Blocking.TIMEOUT);
            }
        });
        for (int i = 1; i <= 3; i++) {
            try (Held held = cond.hold()) {
                state[0] = i;
                cond.notifyAllWaiters();
            }
        }
        assertTrue(waiter.get());
    }

    @Test
    @DisplayName("over an RLock held twice, waitFor fully releases it for other threads and restores both levels")
    void rlockFullyReleasedWhileWaiting() {
        LockLike rlock = newRLock();
        ConditionLike cond = newCondition(rlock);
        CountDownLatch holding = new CountDownLatch(1);
        var waiter = async(() -> {
            rlock.acquire();
            rlock.acquire();
            holding.countDown();
            boolean r = cond.waitFor(Blocking.TIMEOUT);
            rlock.release();
            boolean stillHeld = rlock.locked() && !async(() -> rlock.acquire(false)).get();
            rlock.release();
            return r && stillHeld;
        });
        await(holding);
        // The waiter holds the RLock twice, yet this thread can take it while the waiter waits.
        assertTrue(cond.acquire(Duration.ofSeconds(10)), "RLock not fully released by waitFor");
        try {
            cond.notifyOne();
        } finally {
            cond.release();
        }
        assertTrue(waiter.get());
        assertFalse(rlock.locked());
    }

    @Test
    @DisplayName("over a Lock, waitFor releases it while waiting and re-acquires it")
    void plainLockReleasedWhileWaiting() {
        LockLike lock = newLock();
        ConditionLike cond = newCondition(lock);
        CountDownLatch holding = new CountDownLatch(1);
        var waiter = async(() -> {
            try (Held held = cond.hold()) {
                holding.countDown();
                return cond.waitFor(Blocking.TIMEOUT) && lock.locked();
            }
        });
        await(holding);
        assertTrue(lock.acquire(Blocking.TIMEOUT));
        try {
            cond.notifyOne();
        } finally {
            lock.release();
        }
        assertTrue(waiter.get());
        assertFalse(lock.locked());
    }

    @Test
    @DisplayName("an interrupted waiter re-acquires the lock, then throws UncheckedInterruptedException with the flag set")
    void interruptedWaiter() {
        ConditionLike cond = newCondition();
        var waiter = async(() -> {
            cond.acquire();
            try {
                cond.waitFor();
                return "returned";
            } catch (UncheckedInterruptedException e) {
                boolean flag = java.lang.Thread.currentThread().isInterrupted();
                cond.notifyOne(); // throws unless the lock is held again
                return "interrupted, flag=" + flag;
            } finally {
                cond.release();
            }
        }).awaitParked().assertBlocked();
        waiter.thread().interrupt();
        assertEquals("interrupted, flag=true", waiter.get());
    }

    @Test
    @DisplayName("producer/consumer: every item is consumed exactly once")
    void producerConsumer() {
        ConditionLike cond = newCondition();
        List<Integer> queue = new ArrayList<>();
        int items = 200;
        AtomicInteger consumed = new AtomicInteger();
        try (Bunch consumers = Bunch.start(3, i -> {
            while (true) {
                try (Held held = cond.hold()) {
                    assertTrue(cond.waitUntil(() -> !queue.isEmpty(), Blocking.TIMEOUT));
                    int item = queue.remove(0);
                    if (item < 0) {
                        return;
                    }
                    consumed.incrementAndGet();
                }
            }
        })) {
            for (int i = 0; i < items; i++) {
                try (Held held = cond.hold()) {
                    queue.add(i);
                    cond.notifyOne();
                }
            }
            try (Held held = cond.hold()) {
                queue.add(-1);
                queue.add(-1);
                queue.add(-1);
                cond.notifyAllWaiters();
            }
            consumers.awaitFinished();
        }
        assertEquals(items, consumed.get());
    }
}
