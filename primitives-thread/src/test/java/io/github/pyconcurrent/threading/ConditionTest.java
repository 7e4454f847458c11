package io.github.pyconcurrent.threading;

import static io.github.pyconcurrent.threading.suites.Blocking.async;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.threading.suites.Blocking;
import io.github.pyconcurrent.threading.suites.ConditionTests;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lock_tests suite for {@link Condition} over this package's locks, plus checks that need
 * in-JVM introspection (where a waiter is parked, an RLock's hold count). Over an {@link RLock}
 * the condition queues on the lock's synchronizer, over a {@link Lock} on its own queue: each
 * check here runs over both.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConditionTest extends ConditionTests {
    @Override
    protected ConditionLike newCondition() {
        return new Condition();
    }

    @Override
    protected ConditionLike newCondition(LockLike lock) {
        return new Condition(lock);
    }

    @Override
    protected LockLike newLock() {
        return new Lock();
    }

    @Override
    protected LockLike newRLock() {
        return new RLock();
    }

    private static List<Condition> bothQueues() {
        return List.of(new Condition(new RLock()), new Condition(new Lock()));
    }

    /** Whether {@code t} is parked on a lock's synchronizer (not on a condition's queue). */
    private static boolean parkedOnLock(java.lang.Thread t) {
        return LockSupport.getBlocker(t) instanceof AbstractQueuedSynchronizer;
    }

    @Test
    @DisplayName("a waiter whose timeout fired while the notifier held the lock does not consume the notification")
    void timedOutWaiterDoesNotConsumeNotification() {
        for (Condition cond : bothQueues()) {
            CountDownLatch firstWaiting = new CountDownLatch(1);
            var timedOut = async(() -> {
                try (Held held = cond.hold()) {
                    firstWaiting.countDown();
                    return cond.waitFor(Duration.ofMillis(30));
                }
            });
            awaitLatch(firstWaiting);
            cond.acquire(); // returns once the first waiter is inside waitFor
            cond.release();
            CountDownLatch secondWaiting = new CountDownLatch(1);
            var notified = async(() -> {
                try (Held held = cond.hold()) {
                    secondWaiting.countDown();
                    return cond.waitFor(Blocking.TIMEOUT);
                }
            });
            awaitLatch(secondWaiting);
            try (Held held = cond.hold()) {
                // Both wait; the first, queued ahead, times out and then blocks on the lock we hold.
                Blocking.awaitCondition(() -> parkedOnLock(timedOut.thread()), "first waiter timed out");
                cond.notifyOne();
            }
            assertFalse(timedOut.get(), "the timed-out waiter reports a timeout");
            assertTrue(notified.get(), "the notification reached the live waiter");
        }
    }

    @Test
    @DisplayName("an RLock held twice by an interrupted waiter is held twice again when UncheckedInterruptedException is thrown")
    void interruptedWaiterRestoresRecursion() {
        RLock lock = new RLock();
        Condition cond = new Condition(lock);
        var waiter = async(() -> {
            lock.acquire();
            lock.acquire();
            try {
                cond.waitFor();
                return "returned";
            } catch (UncheckedInterruptedException e) {
                return "interrupted, flag=" + java.lang.Thread.interrupted() + ", count=" + lock.holdCount();
            } finally {
                lock.release();
                lock.release();
            }
        }).awaitParked().assertBlocked();
        waiter.thread().interrupt();
        assertEquals("interrupted, flag=true, count=2", waiter.get());
        assertFalse(lock.locked());
    }

    @Test
    @DisplayName("notify(n) with n above the number of waiters wakes them all, and a later waiter is not woken")
    void notifyMoreThanWaiting() {
        for (Condition cond : bothQueues()) {
            CountDownLatch waiting = new CountDownLatch(2);
            var first = async(() -> {
                try (Held held = cond.hold()) {
                    waiting.countDown();
                    return cond.waitFor(Blocking.TIMEOUT);
                }
            });
            var second = async(() -> {
                try (Held held = cond.hold()) {
                    waiting.countDown();
                    return cond.waitFor(Blocking.TIMEOUT);
                }
            });
            awaitLatch(waiting);
            // Both are inside waitFor once each has released the lock: parked on the condition.
            Blocking.awaitCondition(() -> isWaiting(first.thread()) && isWaiting(second.thread()), "both waiting");
            try (Held held = cond.hold()) {
                cond.notify(1000);
            }
            assertTrue(first.get());
            assertTrue(second.get());
            try (Held held = cond.hold()) {
                assertFalse(cond.waitFor(Duration.ofMillis(20)), "nothing left over from notify(1000)");
            }
        }
    }

    @Test
    @DisplayName("over a Lock, a waiter notified by a thread that did not acquire it wakes once the holder releases")
    void lockNotifiedByNonHolder() {
        Lock lock = new Lock();
        Condition cond = new Condition(lock);
        CountDownLatch holding = new CountDownLatch(1);
        var waiter = async(() -> {
            try (Held held = cond.hold()) {
                holding.countDown();
                return cond.waitFor(); // untimed: only the hand-over can end it (Async bounds the test)
            }
        });
        awaitLatch(holding);
        assertTrue(lock.acquire(Blocking.TIMEOUT)); // the waiter is inside waitFor
        try {
            // Python allows it: a Lock has no owner, so "owned" means "locked".
            async(cond::notifyOne).get();
            waiter.assertBlocked(); // it needs the lock, which this thread still holds
        } finally {
            lock.release();
        }
        assertTrue(waiter.get());
    }

    @Test
    @DisplayName("over each queue, a ping-pong of many handoffs loses no notification")
    void pingPongLosesNothing() {
        for (Condition cond : bothQueues()) {
            int trips = 2_000;
            boolean[] pongersTurn = {false};
            var ponger = async(() -> {
                for (int i = 0; i < trips; i++) {
                    try (Held held = cond.hold()) {
                        if (!cond.waitUntil(() -> pongersTurn[0], Blocking.TIMEOUT)) {
                            return "ponger lost a notification at trip " + i;
                        }
                        pongersTurn[0] = false;
                        cond.notifyOne();
                    }
                }
                return "ok";
            });
            for (int i = 0; i < trips; i++) {
                try (Held held = cond.hold()) {
                    pongersTurn[0] = true;
                    cond.notifyOne();
                    assertTrue(cond.waitUntil(() -> !pongersTurn[0], Blocking.TIMEOUT),
                            "pinger lost a notification at trip " + i);
                }
            }
            assertEquals("ok", ponger.get());
        }
    }

    private static boolean isWaiting(java.lang.Thread t) {
        java.lang.Thread.State s = t.getState();
        Object blocker = LockSupport.getBlocker(t);
        return (s == java.lang.Thread.State.WAITING || s == java.lang.Thread.State.TIMED_WAITING)
                && blocker != null && !(blocker instanceof AbstractQueuedSynchronizer);
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertTrue(latch.await(Blocking.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "latch timed out");
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
