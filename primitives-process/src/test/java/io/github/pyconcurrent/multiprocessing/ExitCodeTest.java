package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.shared.Event;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Python's exit codes, exactly, under both start methods. */
class ExitCodeTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void returningNormallyIsZero(String method) {
        assertEquals(0, runToEnd(method, () -> { }));
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void anUncaughtExceptionIsOne(String method) {
        assertEquals(1, runToEnd(method, () -> {
            throw new IllegalStateException("expected by ExitCodeTest");
        }));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 7, 143, 137, 255})
    void systemExitGivesItsStatusEvenWhenItLooksLikeASignal(int status) {
        assertEquals(status, runToEnd("forkserver", () -> System.exit(status)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void terminateIsMinus15(String method) {
        Event running = new Event();
        Process p = started(method, () -> {
            running.set();
            new java.util.concurrent.CountDownLatch(1).await();
        });
        assertTrue(running.waitFor(LIMIT), "the child never ran");
        assertTrue(p.isAlive());
        assertNull(p.exitCode());
        p.terminate();
        assertTrue(p.join(LIMIT));
        assertEquals(-15, p.exitCode());
        assertFalse(p.isAlive());
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void killIsMinus9(String method) {
        Event running = new Event();
        Process p = started(method, () -> {
            running.set();
            new java.util.concurrent.CountDownLatch(1).await();
        });
        assertTrue(running.waitFor(LIMIT), "the child never ran");
        p.kill();
        assertTrue(p.join(LIMIT));
        assertEquals(-9, p.exitCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void theChildEndsOnlyAfterItsOtherNonDaemonThreads(String method) {
        Event release = new Event();
        Event threadRunning = new Event();
        Process p = started(method, () -> new java.lang.Thread(() -> {
            threadRunning.set();
            release.waitFor();
            System.exit(0); // unreachable unless released; a status the test can tell apart
        }).start());
        assertTrue(threadRunning.waitFor(LIMIT));
        assertFalse(p.join(Duration.ofMillis(200)), "the child ended while a non-daemon thread ran");
        release.set();
        assertTrue(p.join(LIMIT));
        assertEquals(0, p.exitCode());
    }

    /** The child ends through _exit only after its shutdown hooks (CPython: clean-up, then os._exit). */
    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void shutdownHooksRunBeforeTheChildEnds(String method) {
        Event hookRan = new Event();
        assertEquals(0, runToEnd(method, () -> Runtime.getRuntime().addShutdownHook(new java.lang.Thread(hookRan::set))));
        assertTrue(hookRan.isSet(), "the child's shutdown hook did not run");
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void aStatusOfTheUsersOwnSystemExitSurvivesItsHooks(String method) {
        Event hookRan = new Event();
        assertEquals(7, runToEnd(method, () -> {
            Runtime.getRuntime().addShutdownHook(new java.lang.Thread(hookRan::set));
            System.exit(7);
        }));
        assertTrue(hookRan.isSet(), "the child's shutdown hook did not run");
    }

    /**
     * A thread left blocked in a native read (here a socket accept, the JDK's own native code)
     * neither keeps the child alive nor changes its status: only non-daemon Java threads are waited for.
     */
    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void aDaemonThreadBlockedInNativeCodeDoesNotChangeTheEnd(String method) {
        Event blocked = new Event();
        assertEquals(0, runToEnd(method, () -> {
            java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open()
                    .bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            java.lang.Thread t = new java.lang.Thread(() -> {
                try {
                    blocked.set();
                    server.accept();
                } catch (java.io.IOException e) {
                    // closed at exit
                }
            });
            t.setDaemon(true);
            t.start();
            blocked.waitFor();
        }));
        assertTrue(blocked.isSet());
    }

    static Process started(String method, SerializableRunnable target) {
        Multiprocessing.setStartMethod(method, true);
        Process p = new Process(target);
        p.setDaemon(true);
        p.start();
        return p;
    }

    static int runToEnd(String method, SerializableRunnable target) {
        Process p = started(method, target);
        assertTrue(p.join(LIMIT), "the child did not end");
        p.close();
        return p.exitCode();
    }
}
