package io.github.pyconcurrent.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.threading.suites.Blocking;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Python's Timer: runs once after the interval unless cancelled. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimerTest {

    @AfterEach
    void restoreHook() {
        Threading.setExcepthook(null);
    }

    @Test
    @DisplayName("a timer runs its action exactly once, in its own thread, after start()")
    void runsOnce() {
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<java.lang.Thread> ranIn = new CompletableFuture<>();
        Timer timer = new Timer(Duration.ofMillis(20), () -> {
            runs.incrementAndGet();
            ranIn.complete(java.lang.Thread.currentThread());
        });
        assertEquals(0, runs.get());
        timer.start();
        assertTrue(timer.join(Blocking.TIMEOUT));
        assertEquals(1, runs.get());
        assertEquals(timer.javaThread(), ranIn.join());
    }

    @Test
    @DisplayName("cancel() before the interval elapses prevents the action, and the timer thread ends promptly")
    void cancelled() {
        AtomicInteger runs = new AtomicInteger();
        Timer timer = new Timer(Duration.ofMinutes(10), runs::incrementAndGet);
        timer.setDaemon(true);
        timer.start();
        timer.cancel();
        assertTrue(timer.join(Blocking.TIMEOUT));
        assertEquals(0, runs.get());
    }

    @Test
    @DisplayName("cancel() before start() prevents the action")
    void cancelledBeforeStart() {
        AtomicInteger runs = new AtomicInteger();
        Timer timer = new Timer(Duration.ZERO, runs::incrementAndGet);
        timer.cancel();
        timer.start();
        assertTrue(timer.join(Blocking.TIMEOUT));
        assertEquals(0, runs.get());
    }

    @Test
    @DisplayName("a timer is a Thread: it inherits the daemon flag and its action's exception goes to the excepthook")
    void isAThread() {
        CompletableFuture<Throwable> hooked = new CompletableFuture<>();
        Threading.setExcepthook((t, e) -> hooked.complete(e));
        Timer timer = new Timer(Duration.ZERO, () -> {
            throw new IllegalStateException("timer action failed");
        });
        assertEquals(java.lang.Thread.currentThread().isDaemon(), timer.isDaemon());
        assertFalse(timer.isAlive());
        timer.start();
        assertTrue(timer.join(Blocking.TIMEOUT));
        assertEquals("timer action failed", hooked.join().getMessage());
    }
}
