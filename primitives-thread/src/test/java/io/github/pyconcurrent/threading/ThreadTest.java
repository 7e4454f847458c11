package io.github.pyconcurrent.threading;

import static io.github.pyconcurrent.threading.suites.Blocking.async;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.threading.suites.Blocking;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Python's Thread rules: lifecycle, daemon inheritance, identity, errors and the excepthook. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThreadTest {

    @AfterEach
    void restoreHook() {
        Threading.setExcepthook(null);
    }

    /** Runs {@code body} in a started Thread of ours and returns what it produced. */
    private static <T> T inOurThread(java.util.concurrent.Callable<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        assertTrue(t.join(Blocking.TIMEOUT));
        return result.join();
    }

    @Test
    @DisplayName("the target runs in a new thread; join() waits for it; isAlive follows the lifecycle")
    void runsTarget() {
        Event release = new Event();
        AtomicReference<java.lang.Thread> ranIn = new AtomicReference<>();
        Thread t = new Thread(() -> {
            ranIn.set(java.lang.Thread.currentThread());
            release.waitFor();
        });
        assertFalse(t.isAlive());
        t.start();
        assertTrue(t.isAlive());
        assertFalse(t.join(Duration.ofMillis(20)));
        release.set();
        t.join();
        assertFalse(t.isAlive());
        assertSame(t.javaThread(), ranIn.get());
        assertTrue(t.join(Duration.ZERO));
    }

    @Test
    @DisplayName("a subclass may override run()")
    void subclassRun() {
        AtomicInteger runs = new AtomicInteger();
        Thread t = new Thread("sub") {
            @Override
            public void run() {
                runs.incrementAndGet();
            }
        };
        t.start();
        t.join();
        assertEquals(1, runs.get());
        assertEquals("sub", t.name());
    }

    @Test
    @DisplayName("start() twice throws IllegalStateException")
    void startTwice() {
        Thread t = new Thread(() -> {});
        t.start();
        assertThrows(IllegalStateException.class, t::start);
        t.join();
        assertThrows(IllegalStateException.class, t::start);
    }

    @Test
    @DisplayName("join() before start() throws IllegalStateException")
    void joinBeforeStart() {
        Thread t = new Thread(() -> {});
        assertThrows(IllegalStateException.class, t::join);
        assertThrows(IllegalStateException.class, () -> t.join(Duration.ofMillis(1)));
    }

    @Test
    @DisplayName("joining the current thread throws IllegalStateException")
    void joinSelf() {
        Throwable e = inOurThread(() -> {
            try {
                Threading.currentThread().join();
                return null;
            } catch (IllegalStateException expected) {
                return expected;
            }
        });
        assertInstanceOf(IllegalStateException.class, e);
        assertThrows(IllegalStateException.class, () -> Threading.currentThread().join(Duration.ofMillis(1)));
    }

    @Test
    @DisplayName("the daemon flag is inherited from the creating thread: ours, a foreign Java thread, or main")
    void daemonInherited() {
        // From a daemon Thread of ours.
        assertTrue(inOurThread(() -> new Thread(() -> {}).isDaemon()));
        // From a non-daemon Thread of ours.
        CompletableFuture<Boolean> fromNonDaemon = new CompletableFuture<>();
        Thread nonDaemon = new Thread(() -> fromNonDaemon.complete(new Thread(() -> {}).isDaemon()));
        nonDaemon.setDaemon(false);
        nonDaemon.start();
        nonDaemon.join();
        assertFalse(fromNonDaemon.join());
        // From a foreign Java daemon thread (Blocking.async runs in one).
        assertTrue(async(() -> new Thread(() -> {}).isDaemon()).get());
        // From a foreign non-daemon Java thread.
        CompletableFuture<Boolean> fromForeign = new CompletableFuture<>();
        java.lang.Thread foreign = new java.lang.Thread(() -> fromForeign.complete(new Thread(() -> {}).isDaemon()));
        foreign.setDaemon(false);
        foreign.start();
        assertFalse(fromForeign.join());
        // The main thread is not a daemon.
        assertFalse(Threading.mainThread().isDaemon());
    }

    @Test
    @DisplayName("a started thread's daemon flag is what it was set to, and setDaemon after start() throws")
    void setDaemonBeforeStartOnly() {
        Event release = new Event();
        Thread t = new Thread(release::waitFor);
        t.setDaemon(true);
        assertTrue(t.isDaemon());
        t.setDaemon(false);
        assertFalse(t.isDaemon());
        t.setDaemon(true);
        t.start();
        assertTrue(t.javaThread().isDaemon());
        assertThrows(IllegalStateException.class, () -> t.setDaemon(false));
        release.set();
        t.join();
        assertThrows(IllegalStateException.class, () -> t.setDaemon(false));
    }

    @Test
    @DisplayName("ident() and nativeId() are null before start() and match getIdent()/getNativeId() inside the thread")
    void identity() {
        CompletableFuture<long[]> seen = new CompletableFuture<>();
        Thread t = new Thread(() -> seen.complete(new long[] {Threading.getIdent(), Threading.getNativeId()}));
        assertNull(t.ident());
        assertNull(t.nativeId());
        t.start();
        assertNotNull(t.ident());
        assertNotNull(t.nativeId());
        t.join();
        assertEquals(seen.join()[0], t.ident());
        assertEquals(seen.join()[1], t.nativeId());
        assertEquals(t.javaThread().threadId(), t.ident());
        assertTrue(t.nativeId() > 0);
    }

    @Test
    @DisplayName("default names are Thread-N; a given name is used; setName renames the Java thread too")
    void names() {
        Thread a = new Thread(() -> {});
        assertTrue(a.name().matches("Thread-\\d+"), a.name());
        assertEquals(a.name(), a.javaThread().getName());
        Thread b = new Thread("worker", () -> {});
        assertEquals("worker", b.name());
        b.setName("renamed");
        assertEquals("renamed", b.name());
        assertEquals("renamed", b.javaThread().getName());
    }

    @Test
    @DisplayName("an exception escaping run() goes to the excepthook with its thread, and kills nothing else")
    void uncaughtGoesToHook() {
        CompletableFuture<Object[]> hooked = new CompletableFuture<>();
        Threading.setExcepthook((thread, error) -> hooked.complete(new Object[] {thread, error}));
        RuntimeException boom = new RuntimeException("boom");
        Event keepRunning = new Event();
        Thread bystander = new Thread(keepRunning::waitFor);
        bystander.setDaemon(true);
        bystander.start();
        Thread failing = new Thread("failing", () -> {
            throw boom;
        });
        failing.start();
        failing.join();
        Object[] got = hooked.join();
        assertSame(failing, got[0]);
        assertSame(boom, got[1]);
        assertTrue(bystander.isAlive());
        assertFalse(failing.isAlive());
        assertFalse(Threading.enumerate().contains(failing));
        keepRunning.set();
        bystander.join();
    }

    @Test
    @DisplayName("the default excepthook prints 'Exception in thread NAME:' and the stack trace to stderr")
    void defaultHookPrints() {
        String err = captureStderr(() -> {
            Thread t = new Thread("doomed", () -> {
                throw new IllegalStateException("the message");
            });
            t.start();
            t.join();
        });
        assertTrue(err.startsWith("Exception in thread doomed:" + System.lineSeparator()), err);
        assertTrue(err.contains("java.lang.IllegalStateException: the message"), err);
        assertTrue(err.contains("\tat "), err);
    }

    @Test
    @DisplayName("a hook that throws is reported, and the original exception still printed")
    void failingHook() {
        Threading.setExcepthook((thread, error) -> {
            throw new UnsupportedOperationException("hook failed");
        });
        String err = captureStderr(() -> {
            Thread t = new Thread("doomed2", () -> {
                throw new IllegalArgumentException("original");
            });
            t.start();
            t.join();
        });
        assertTrue(err.contains("Exception in threading.excepthook:"), err);
        assertTrue(err.contains("hook failed"), err);
        assertTrue(err.contains("Exception in thread doomed2:"), err);
        assertTrue(err.contains("original"), err);
    }

    @Test
    @DisplayName("excepthook() returns the installed hook; setExcepthook(null) restores the default")
    void hookAccessors() {
        assertSame(Threading.DEFAULT_EXCEPTHOOK, Threading.excepthook());
        Threading.ExceptHook mine = (t, e) -> {};
        Threading.setExcepthook(mine);
        assertSame(mine, Threading.excepthook());
        Threading.setExcepthook(null);
        assertSame(Threading.DEFAULT_EXCEPTHOOK, Threading.excepthook());
    }

    @Test
    @DisplayName("an interrupt while blocked in join() throws UncheckedInterruptedException and restores the flag")
    void interruptedJoin() {
        Event release = new Event();
        Thread t = new Thread(release::waitFor);
        t.setDaemon(true);
        t.start();
        try {
            var joiner = async(() -> {
                try {
                    t.join();
                    return "joined";
                } catch (UncheckedInterruptedException e) {
                    return "interrupted, flag=" + java.lang.Thread.currentThread().isInterrupted();
                }
            }).assertBlocked();
            joiner.thread().interrupt();
            assertEquals("interrupted, flag=true", joiner.get());
        } finally {
            release.set();
            t.join();
        }
    }

    @Test
    @DisplayName("toString shows the name and the lifecycle state")
    void repr() {
        Thread t = new Thread("shown", () -> {});
        assertTrue(t.toString().contains("shown, initial"), t.toString());
        t.start();
        t.join();
        assertTrue(t.toString().contains("shown, stopped"), t.toString());
    }

    private static String captureStderr(Runnable body) {
        PrintStream original = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
