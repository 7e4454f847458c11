package io.github.pyconcurrent.threading;

import static io.github.pyconcurrent.threading.suites.Blocking.async;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.threading.suites.Blocking;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The in-JVM locks' extras: the package-private hooks a Condition uses, RLock's hold count,
 * a Condition over a foreign {@link LockLike} (CPython's fallbacks), and {@code null} timeouts.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LockHooksTest {

    @Test
    @DisplayName("RLock.isOwned is true only in the owning thread; holdCount counts its levels")
    void rlockOwnership() {
        RLock lock = new RLock();
        assertFalse(lock.isOwned());
        assertEquals(0, lock.holdCount());
        lock.acquire();
        lock.acquire();
        assertTrue(lock.isOwned());
        assertEquals(2, lock.holdCount());
        assertFalse(async(lock::isOwned).get());
        assertEquals(0, async(lock::holdCount).get());
        lock.release();
        lock.release();
        assertFalse(lock.isOwned());
    }

    @Test
    @DisplayName("RLock.releaseSave frees every level and acquireRestore restores the count")
    void rlockReleaseSaveRestore() {
        RLock lock = new RLock();
        lock.acquire();
        lock.acquire();
        lock.acquire();
        int saved = lock.releaseSave();
        assertEquals(3, saved);
        assertFalse(lock.locked());
        assertTrue(async(() -> {
            boolean got = lock.acquire(false);
            lock.release();
            return got;
        }).get());
        lock.acquireRestore(saved);
        assertEquals(3, lock.holdCount());
        lock.release();
        lock.release();
        lock.release();
        assertFalse(lock.locked());
        assertThrows(IllegalStateException.class, lock::releaseSave);
    }

    @Test
    @DisplayName("acquireRestore blocks through an interrupt and keeps the interrupt flag")
    void acquireRestoreIgnoresInterrupt() {
        RLock lock = new RLock();
        lock.acquire();
        var restorer = async(() -> {
            lock.acquireRestore(2);
            boolean flag = java.lang.Thread.interrupted();
            int count = lock.holdCount();
            lock.release();
            lock.release();
            return flag + "/" + count;
        }).assertBlocked();
        restorer.thread().interrupt();
        restorer.assertBlocked();
        lock.release();
        assertEquals("true/2", restorer.get());
    }

    @Test
    @DisplayName("Lock's hooks: owned means locked (CPython's fallback); releaseSave/acquireRestore release and re-take it")
    void lockHooks() {
        Lock lock = new Lock();
        assertFalse(lock.isOwned());
        lock.acquire();
        assertTrue(lock.isOwned());
        assertTrue(async(lock::isOwned).get());
        assertEquals(1, lock.releaseSave());
        assertFalse(lock.locked());
        lock.acquireRestore(1);
        assertTrue(lock.locked());
        lock.release();
    }

    /** A LockLike that is neither this package's Lock nor RLock: a Condition must use CPython's fallbacks with it. */
    private static final class ForeignLock implements LockLike {
        private final Semaphore sem = new Semaphore(1);

        @Override
        public boolean acquire() {
            return sem.acquire();
        }

        @Override
        public boolean acquire(boolean blocking) {
            return sem.acquire(blocking);
        }

        @Override
        public boolean acquire(Duration timeout) {
            return sem.acquire(timeout);
        }

        @Override
        public void release() {
            sem.release();
        }

        @Override
        public boolean locked() {
            return sem.availablePermits() == 0;
        }
    }

    @Test
    @DisplayName("a Condition over a foreign LockLike checks ownership by trying the lock, and waits/notifies through it")
    void conditionOverForeignLock() {
        ForeignLock lock = new ForeignLock();
        Condition cond = new Condition(lock);
        assertThrows(IllegalStateException.class, cond::notifyOne);
        assertFalse(lock.locked()); // the ownership probe gave the lock back
        CountDownLatch holding = new CountDownLatch(1);
        var waiter = async(() -> {
            try (Held held = cond.hold()) {
                holding.countDown();
                return cond.waitFor(Blocking.TIMEOUT) && lock.locked();
            }
        });
        try {
            assertTrue(holding.await(20, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        try (Held held = cond.hold()) {
            cond.notifyOne();
        }
        assertTrue(waiter.get());
        assertFalse(lock.locked());
    }

    @Test
    @DisplayName("a null timeout is Python's None: acquire(null) and waitFor(null) wait until they succeed")
    void nullTimeoutWaitsForever() {
        Lock lock = new Lock();
        lock.acquire();
        var acquirer = async(() -> lock.acquire((Duration) null)).assertBlocked();
        lock.release();
        assertTrue(acquirer.get());
        lock.release();

        Event ev = new Event();
        var waiter = async(() -> ev.waitFor(null)).assertBlocked();
        ev.set();
        assertTrue(waiter.get());

        Semaphore sem = new Semaphore(0);
        var taker = async(() -> sem.acquire((Duration) null)).assertBlocked();
        sem.release();
        assertTrue(taker.get());
    }

    @Test
    @DisplayName("new Semaphore() and new BoundedSemaphore() hold one permit, as Python's default")
    void defaultSemaphoreValue() {
        Semaphore sem = new Semaphore();
        assertEquals(1, sem.availablePermits());
        BoundedSemaphore bounded = new BoundedSemaphore();
        assertTrue(bounded.acquire(false));
        assertFalse(bounded.acquire(false));
        bounded.release();
        assertThrows(IllegalArgumentException.class, bounded::release);
    }

    @Test
    @DisplayName("Barrier.waitFor(null) uses the constructor's default timeout; parties < 1 is rejected")
    void barrierNullTimeoutIsDefault() {
        Barrier b = new Barrier(2, null, Duration.ofMillis(30));
        assertThrows(BrokenBarrierError.class, () -> b.waitFor(null));
        assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
    }

    @Test
    @DisplayName("after one waiter times out, a notifyOne still reaches the remaining live waiter")
    void timedOutWaiterDoesNotConsumeNotify() {
        Condition cond = new Condition(new Lock());
        for (int round = 0; round < 20; round++) {
            CountDownLatch bothIn = new CountDownLatch(2);
            var shortWaiter = async(() -> {
                try (Held held = cond.hold()) {
                    bothIn.countDown();
                    return cond.waitFor(Duration.ofMillis(1));
                }
            });
            var longWaiter = async(() -> {
                try (Held held = cond.hold()) {
                    bothIn.countDown();
                    return cond.waitFor(Blocking.TIMEOUT);
                }
            });
            try {
                assertTrue(bothIn.await(20, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            shortWaiter.get(); // timed out (or, rarely, notified below first: either is fine)
            try (Held held = cond.hold()) {
                cond.notifyOne();
            }
            assertTrue(longWaiter.get(), "the live waiter missed the notification");
        }
    }

    @Test
    @DisplayName("toString of the primitives shows their state")
    void reprs() {
        Lock lock = new Lock();
        assertEquals("<unlocked Lock>", lock.toString());
        lock.acquire();
        assertEquals("<locked Lock>", lock.toString());
        assertEquals("<Event unset>", new Event().toString());
        assertEquals("<Semaphore value=2>", new Semaphore(2).toString());
        assertEquals("<BoundedSemaphore value=1>", new BoundedSemaphore().toString());
        assertTrue(new RLock().toString().contains("unlocked"));
    }
}
