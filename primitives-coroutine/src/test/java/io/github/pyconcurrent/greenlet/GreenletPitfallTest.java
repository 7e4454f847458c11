package io.github.pyconcurrent.greenlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What Java has and Python does not: monitors held across a switch, frames the JVM cannot
 * suspend, and the collection of unreachable suspended greenlets.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GreenletPitfallTest {

    @AfterEach
    void nothingLeftRunning() {
        MonitorCheck.enabled = false;
        LeakCheck.assertNoGreenletThreads();
    }

    /**
     * A greenlet suspended inside synchronized keeps the monitor: another thread cannot enter it
     * until the greenlet is resumed and leaves the block.
     */
    @Test
    void suspendedGreenletKeepsItsMonitor() throws Exception {
        Object lock = new Object();
        Greenlet main = Greenlet.getcurrent();
        Greenlet holder = new Greenlet(args -> {
            synchronized (lock) {
                try {
                    main.switchTo("holding");
                } catch (GreenletError pinned) {
                    return "pinned"; // JDK 21-23 cannot suspend a continuation inside synchronized
                }
            }
            return "released";
        });
        Object first = holder.switchTo();
        if ("pinned".equals(first)) {
            assertTrue(holder.isDead());
            return;
        }
        assertEquals("holding", first);
        CountDownLatch entered = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            synchronized (lock) {
                entered.countDown();
            }
        });
        other.start();
        assertFalse(entered.await(200, TimeUnit.MILLISECONDS), "the suspended greenlet still owns the monitor");
        assertEquals("released", holder.switchTo());
        assertTrue(entered.await(10, TimeUnit.SECONDS), "released when the greenlet left synchronized");
        other.join(10_000);
    }

    /**
     * With the monitor check on (continuation backend), a switch out of synchronized is refused
     * with a GreenletError naming the monitor, and nothing is switched: the greenlet goes on.
     */
    @Test
    void monitorCheckRefusesSwitchWhileHoldingMonitor() {
        assumeTrue(Greenlet.backend().equals("continuation"), "the check needs the continuation backend");
        MonitorCheck.enabled = true;
        Object lock = new Object();
        Greenlet main = Greenlet.getcurrent();
        AtomicReference<Throwable> refused = new AtomicReference<>();
        Greenlet g = new Greenlet(args -> {
            synchronized (lock) {
                try {
                    main.switchTo("should not arrive");
                } catch (GreenletError e) {
                    refused.set(e);
                }
            }
            return main.switchTo("outside");  // allowed: no monitor held
        });
        assertEquals("outside", g.switchTo());
        assertInstanceOf(GreenletError.class, refused.get());
        assertTrue(refused.get().getMessage().contains("monitor"), refused.get().getMessage());
        assertEquals("done", g.switchTo("done"));
        assertTrue(g.isDead());
    }

    /**
     * ThreadLocals belong to the thread: shared by all greenlets of a thread on the continuation
     * backend, one per greenlet on the virtual-thread backend (as documented).
     */
    @Test
    void threadLocalsFollowTheBackend() {
        ThreadLocal<String> local = new ThreadLocal<>();
        local.set("main");
        Greenlet g = new Greenlet(args -> {
            String seen = local.get();
            local.set("greenlet");
            return seen;
        });
        Object seenInGreenlet = g.switchTo();
        if (Greenlet.backend().equals("continuation")) {
            assertEquals("main", seenInGreenlet);
            assertEquals("greenlet", local.get());
        } else {
            assertEquals(null, seenInGreenlet);
            assertEquals("main", local.get());
        }
        local.remove();
    }

    static volatile Greenlet clinitTarget;

    /** Its static initializer switches to clinitTarget. */
    static final class SwitchesInClassInit {
        static final Object RESULT;

        static {
            Object r;
            try {
                r = clinitTarget.switchTo("from clinit");
            } catch (GreenletError e) {
                r = e;
            }
            RESULT = r;
        }

        private SwitchesInClassInit() {}
    }

    /**
     * A switch out of a class initializer, on a platform thread: refused with a clear
     * GreenletError on both backends - the JVM pins the frame, and the home thread is the only
     * carrier of its greenlets (continuation backend, and the virtual-thread backend's
     * HomeCarrier) - and nothing is switched.
     */
    @Test
    void switchInClassInitializer() {
        Greenlet main = Greenlet.getcurrent();
        clinitTarget = main;
        Greenlet g = new Greenlet(args -> SwitchesInClassInit.RESULT);
        Object first = g.switchTo();
        GreenletError e = assertInstanceOf(GreenletError.class, first);
        assertTrue(e.getMessage().contains("Pinned"), e.getMessage());
        assertTrue(e.getMessage().contains("class initializer"), e.getMessage());
        assertTrue(g.isDead());
        assertSame(main, Greenlet.getcurrent());
    }

    static volatile Greenlet clinitTargetOnVirtualHome;

    /** Its static initializer switches to clinitTargetOnVirtualHome. */
    static final class SwitchesInClassInitOnVirtualHome {
        static final Object RESULT;

        static {
            Object r;
            try {
                r = clinitTargetOnVirtualHome.switchTo("from clinit");
            } catch (GreenletError e) {
                r = e;
            }
            RESULT = r;
        }

        private SwitchesInClassInitOnVirtualHome() {}
    }

    /**
     * On the virtual-thread backend, greenlets of a virtual home thread run on the JDK's default
     * scheduler, where a switch out of a class initializer is made (the pinned greenlet blocks a
     * carrier meanwhile), as documented.
     */
    @Test
    void switchInClassInitializerOnVirtualHomeIsMade() throws Exception {
        assumeTrue(Greenlet.backend().equals("virtual-thread"), "virtual homes matter on the virtual-thread backend");
        AtomicReference<Object> first = new AtomicReference<>();
        AtomicReference<Object> second = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread home = Thread.ofVirtual().start(() -> {
            try {
                clinitTargetOnVirtualHome = Greenlet.getcurrent();
                Greenlet g = new Greenlet(args -> SwitchesInClassInitOnVirtualHome.RESULT);
                first.set(g.switchTo());
                second.set(g.switchTo("resumed"));
                assertTrue(g.isDead());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        assertTrue(home.join(java.time.Duration.ofSeconds(20)), "the virtual home finished");
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals("from clinit", first.get());
        assertEquals("resumed", second.get());
    }

    /**
     * A started greenlet that nobody references any more gets GreenletExit thrown into it on its
     * home thread, and its finally blocks run.
     */
    @Test
    void unreachableSuspendedGreenletIsKilled() {
        List<String> log = new ArrayList<>();
        startAndAbandon(log);
        assertEquals(List.of("suspended"), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (log.size() < 3 && System.nanoTime() < deadline) {
            System.gc();
            Greenlet.getcurrent(); // the home thread kills collected greenlets here
        }
        assertEquals(List.of("suspended", "GreenletExit", "finally"), log);
    }

    private static void startAndAbandon(List<String> log) {
        Greenlet main = Greenlet.getcurrent();
        new Greenlet(() -> {
            try {
                log.add("suspended");
                main.switchTo();
                log.add("resumed?!");
            } catch (GreenletExit e) {
                log.add("GreenletExit");
                throw e;
            } finally {
                log.add("finally");
            }
        }).switchTo();
    }

    /** A finished greenlet is collectable: nothing of the switching machinery keeps it. */
    @Test
    void finishedGreenletIsCollectable() {
        java.lang.ref.WeakReference<Greenlet> ref = runToEnd();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ref.get() != null && System.nanoTime() < deadline) {
            System.gc();
        }
        assertEquals(null, ref.get());
    }

    private static java.lang.ref.WeakReference<Greenlet> runToEnd() {
        Greenlet g = new Greenlet(args -> "x");
        g.switchTo();
        return new java.lang.ref.WeakReference<>(g);
    }
}
