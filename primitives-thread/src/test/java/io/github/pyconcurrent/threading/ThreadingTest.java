package io.github.pyconcurrent.threading;

import static io.github.pyconcurrent.threading.suites.Blocking.async;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.threading.suites.Blocking;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Python's module functions: current_thread, main_thread, enumerate, active_count, get_ident. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThreadingTest {

    @Test
    @DisplayName("currentThread() inside a Thread of ours is that Thread object")
    void currentThreadIsOurs() {
        CompletableFuture<Thread> seen = new CompletableFuture<>();
        Thread t = new Thread(() -> seen.complete(Threading.currentThread()));
        t.start();
        t.join();
        assertSame(t, seen.join());
    }

    @Test
    @DisplayName("mainThread() is the JVM's main thread: named MainThread, alive, not a daemon, listed by enumerate()")
    void mainThread() {
        Thread main = Threading.mainThread();
        assertEquals("MainThread", main.name());
        assertTrue(main.isAlive());
        assertFalse(main.isDaemon());
        assertEquals("main", main.javaThread().getName());
        assertTrue(Threading.enumerate().contains(main));
        assertSame(main, Threading.mainThread());
    }

    @Test
    @DisplayName("a started Thread is listed by enumerate() until it has finished; activeCount() is enumerate's size")
    void enumerateOurs() {
        Event release = new Event();
        Thread t = new Thread(release::waitFor);
        t.setDaemon(true);
        assertFalse(Threading.enumerate().contains(t));
        t.start();
        List<Thread> live = Threading.enumerate();
        assertTrue(live.contains(t));
        assertTrue(Threading.activeCount() >= 2); // t and main
        release.set();
        t.join();
        assertFalse(Threading.enumerate().contains(t));
    }

    @Test
    @DisplayName("a foreign Java thread gets a dummy entry (Dummy-N) from currentThread(), the same one each time, listed while alive")
    void dummyForForeignThread() {
        Event release = new Event();
        CompletableFuture<Thread> first = new CompletableFuture<>();
        CompletableFuture<Thread> second = new CompletableFuture<>();
        java.lang.Thread foreign = new java.lang.Thread(() -> {
            first.complete(Threading.currentThread());
            second.complete(Threading.currentThread());
            release.waitFor();
        });
        foreign.setDaemon(true);
        foreign.start();
        Thread dummy = first.join();
        assertSame(dummy, second.join());
        assertTrue(dummy.name().matches("Dummy-\\d+"), dummy.name());
        assertSame(foreign, dummy.javaThread());
        assertTrue(dummy.isDaemon());
        assertTrue(dummy.isAlive());
        assertEquals(foreign.threadId(), dummy.ident());
        assertTrue(Threading.enumerate().contains(dummy));
        release.set();
        assertTrue(dummy.join(Blocking.TIMEOUT));
        assertFalse(Threading.enumerate().contains(dummy));
    }

    @Test
    @DisplayName("getIdent() is the calling thread's id, distinct between live threads")
    void getIdent() {
        assertEquals(java.lang.Thread.currentThread().threadId(), Threading.getIdent());
        long other = async(Threading::getIdent).get();
        assertFalse(other == Threading.getIdent());
        assertEquals((Long) Threading.getIdent(), Threading.currentThread().ident());
    }

    @Test
    @DisplayName("currentThread() in the main test thread is a dummy or the main entry, never null, and stable")
    void currentThreadStable() {
        Thread me = Threading.currentThread();
        assertSame(me, Threading.currentThread());
        assertSame(java.lang.Thread.currentThread(), me.javaThread());
        assertTrue(me.isAlive());
        assertTrue(Threading.enumerate().contains(me));
    }

    @Test
    @DisplayName("no leak: a finished Thread and a dead foreign thread's dummy become unreachable")
    void registryDoesNotLeak() {
        Thread t = new Thread(() -> {});
        t.start();
        t.join();
        WeakReference<Thread> finished = new WeakReference<>(t);
        t = null;

        CompletableFuture<WeakReference<Thread>> dummyRef = new CompletableFuture<>();
        java.lang.Thread foreign = new java.lang.Thread(() -> dummyRef.complete(new WeakReference<>(Threading.currentThread())));
        foreign.start();
        WeakReference<Thread> dummy = dummyRef.join();
        try {
            foreign.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        foreign = null;

        for (int i = 0; i < 50 && (finished.get() != null || dummy.get() != null); i++) {
            System.gc();
            java.lang.Thread.yield();
        }
        assertNull(finished.get(), "finished Thread still reachable");
        assertNull(dummy.get(), "dead thread's dummy still reachable");
    }

    @Test
    @DisplayName("each dummy is its own thread's: two foreign threads get two different dummies")
    void distinctDummies() {
        Thread a = async(Threading::currentThread).get();
        Thread b = async(Threading::currentThread).get();
        assertNotSame(a, b);
    }
}
