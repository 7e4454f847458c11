package io.github.pyconcurrent.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Thread started after another has ended runs on the same, parked platform thread, and
 * nothing of the first leaks into the second: Python's rules hold on a reused thread.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThreadReuseTest {

    @BeforeEach
    void reuseOn() {
        Assumptions.assumeTrue(ThreadReuse.ENABLED, "thread reuse is turned off (-Dpyconcurrent.threading.reuse=false)");
    }

    /** Runs {@code first} in a Thread, joins it, and waits until its platform thread is parked for reuse. */
    static java.lang.Thread runAndPark(Thread first) {
        int idleBefore = ThreadReuse.idle();
        first.start();
        first.join();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ThreadReuse.idle() <= idleBefore && first.javaThread().getState() != java.lang.Thread.State.TIMED_WAITING) {
            // the worker parks right after the Thread's end; bounded by the deadline
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the worker did not park");
            }
            java.lang.Thread.onSpinWait();
        }
        return first.javaThread();
    }

    @Test
    void theNextThreadRunsOnTheParkedPlatformThreadAndForgetsTheFirst() throws Exception {
        Local<String> local = new Local<>();
        Local<String> initial = Local.withInitial(() -> "fresh");
        Thread first = new Thread("first", () -> {
            local.set("first's");
            initial.set("first's");
            java.lang.Thread.currentThread().interrupt();
        });
        java.lang.Thread carrier = runAndPark(first);
        assertFalse(first.isAlive());
        assertFalse(Threading.enumerate().contains(first));

        CompletableFuture<List<Object>> seen = new CompletableFuture<>();
        Thread second = new Thread("second", () -> seen.complete(List.of(
                String.valueOf(local.get()), initial.get(), java.lang.Thread.currentThread().isInterrupted(),
                java.lang.Thread.currentThread().getName(), Threading.currentThread(),
                Threading.enumerate().contains(first))));
        second.start();
        second.join();
        assertSame(carrier, second.javaThread(), "the parked platform thread ran the second Thread");
        List<Object> s = seen.get();
        assertEquals("null", s.get(0), "a Local value of the first Thread");
        assertEquals("fresh", s.get(1), "a withInitial Local starts afresh");
        assertEquals(false, s.get(2), "the first Thread's interrupt status");
        assertEquals("second", s.get(3));
        assertSame(second, s.get(4));
        assertEquals(false, s.get(5), "the ended Thread is not enumerated");
        // CPython documents that ident and native_id may be reused once a thread has ended
        assertEquals(first.ident(), second.ident());
        assertEquals(first.nativeId(), second.nativeId());
        assertEquals("first", first.name());
    }

    @Test
    void daemonFlagAndExcepthookAreTheThreadsOwn() throws Exception {
        java.lang.Thread carrier = runAndPark(new Thread(null, () -> { }, true));
        AtomicReference<Thread> hooked = new AtomicReference<>();
        Threading.ExceptHook before = Threading.excepthook();
        Threading.setExcepthook((thread, e) -> hooked.set(thread));
        try {
            CompletableFuture<Boolean> childDaemon = new CompletableFuture<>();
            Thread nonDaemon = new Thread(null, () -> {
                childDaemon.complete(new Thread(() -> { }).isDaemon()); // inherits this Thread's flag
                throw new IllegalStateException("to the hook");
            }, false);
            nonDaemon.start();
            nonDaemon.join();
            assertSame(carrier, nonDaemon.javaThread());
            assertFalse(nonDaemon.isDaemon(), "a non-daemon Thread on a reused (Java daemon) platform thread");
            assertFalse(childDaemon.get(), "a Thread made in a non-daemon Thread is not a daemon");
            assertSame(nonDaemon, hooked.get(), "the excepthook gets the Thread that failed");
        } finally {
            Threading.setExcepthook(before);
        }
    }

    @Test
    void aNameSetAfterTheEndDoesNotRenameTheNextThread() {
        Thread first = new Thread("first", () -> { });
        java.lang.Thread carrier = runAndPark(first);
        CompletableFuture<String> name = new CompletableFuture<>();
        Thread second = new Thread("second", () -> name.complete(java.lang.Thread.currentThread().getName()));
        first.setName("renamed after its end");
        second.start();
        second.join();
        assertSame(carrier, second.javaThread());
        assertEquals("second", name.join());
        assertTrue(Threading.enumerate().stream().noneMatch(t -> t == first || t == second));
        assertNull(new Thread(() -> { }).ident());
    }
}
