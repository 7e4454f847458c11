package io.github.pyconcurrent.greenlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * greenlet's documented semantics, rule by rule. The surefire configuration runs this suite once
 * per backend.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class GreenletTest {

    @AfterEach
    void nothingLeftRunning() {
        assertSame(GreenletThread.current().mainGreenlet, Greenlet.getcurrent(),
                "each test ends on the main greenlet");
        LeakCheck.assertNoGreenletThreads();
    }

    /** The backend in use is the one the build asked for (so both backends really run). */
    @Test
    void backendIsTheForcedOne() {
        String forced = System.getProperty("pyconcurrent.greenlet.backend", "");
        if (!forced.isEmpty()) {
            assertEquals(forced, Greenlet.backend());
        }
        assertTrue(List.of("continuation", "virtual-thread").contains(Greenlet.backend()));
    }

    /** The tutorial's program prints 12, 56, 34, 78 in exactly that order. */
    @Test
    void tutorialPrintsInOrder() {
        List<Integer> printed = new ArrayList<>();
        Greenlet[] gr = new Greenlet[2];
        gr[0] = new Greenlet(() -> {
            printed.add(12);
            gr[1].switchTo();
            printed.add(34);
            gr[1].switchTo();
        });
        gr[1] = new Greenlet(() -> {
            printed.add(56);
            gr[0].switchTo();
            printed.add(78);
        });
        gr[0].switchTo();
        assertEquals(List.of(12, 56, 34, 78), printed);
        assertTrue(gr[1].isDead());
        assertFalse(gr[0].isDead(), "test1 is still suspended in its last switch");
        gr[0].throwInto();
        assertTrue(gr[0].isDead());
    }

    /** run receives the first switch's arguments; later switches pass values both ways. */
    @Test
    void switchPassesValuesBothWays() {
        Greenlet main = Greenlet.getcurrent();
        AtomicReference<Object[]> runArgs = new AtomicReference<>();
        List<Object> received = new ArrayList<>();
        Greenlet g = new Greenlet(args -> {
            runArgs.set(args);
            received.add(main.switchTo("a"));
            received.add(main.switchTo("b", "c"));
            received.add(main.switchTo());
            return "end";
        });
        assertEquals("a", g.switchTo(1, 2));
        assertArrayEquals(new Object[] {1, 2}, runArgs.get());
        assertArrayEquals(new Object[] {"b", "c"}, (Object[]) g.switchTo("x"));
        assertArrayEquals(new Object[0], (Object[]) g.switchTo("y", "z"));
        assertEquals("end", g.switchTo());
        assertEquals("x", received.get(0));
        assertArrayEquals(new Object[] {"y", "z"}, (Object[]) received.get(1));
        assertArrayEquals(new Object[0], (Object[]) received.get(2));
        assertTrue(g.isDead());
        assertFalse(g.isActive());
    }

    /**
     * The one-argument and no-argument overloads pack exactly as the varargs form: run gets a
     * one-element array, a resume gets the value itself (null included); an Object[] argument is
     * still an argument list.
     */
    @Test
    void singleArgumentOverloadsPackLikeVarargs() {
        Greenlet main = Greenlet.getcurrent();
        AtomicReference<Object[]> runArgs = new AtomicReference<>();
        List<Object> received = new ArrayList<>();
        Greenlet g = new Greenlet(args -> {
            runArgs.set(args);
            received.add(main.switchTo((Object) null));
            received.add(main.switchTo());
            received.add(main.switchTo(new Object[] {"p", "q"}));
            return null;
        });
        assertNull(g.switchTo("only"));
        assertArrayEquals(new Object[] {"only"}, runArgs.get());
        assertArrayEquals(new Object[0], (Object[]) g.switchTo(7));
        assertArrayEquals(new Object[] {"p", "q"}, (Object[]) g.switchTo((Object) null));
        assertNull(g.switchTo(new Object[] {"last"}));
        assertEquals(List.of(7), received.subList(0, 1));
        assertNull(received.get(1));
        assertEquals("last", received.get(2));
        assertTrue(g.isDead());
    }

    /** A finished greenlet's return value goes to its parent's pending switch, not to its last switcher. */
    @Test
    void finishingReturnsToParent() {
        Greenlet main = Greenlet.getcurrent();
        Greenlet[] child = new Greenlet[1];
        Greenlet parent = new Greenlet(args -> {
            Object fromChild = child[0].switchTo();
            return "parent got " + fromChild;
        });
        child[0] = new Greenlet(args -> "child-result", parent);
        // main starts parent; parent switches to child; child returns to parent; parent returns to main
        assertEquals("parent got child-result", parent.switchTo());
        assertSame(main, parent.parent());
        assertTrue(child[0].isDead());
        // a child started directly from main still returns to its parent, which starts with the value
        Greenlet p2 = new Greenlet(args -> args[0]);
        Greenlet c2 = new Greenlet(args -> "v", p2);
        assertEquals("v", c2.switchTo());
        assertTrue(p2.isDead());
    }

    /** An exception escaping run is thrown in the parent's pending switch. */
    @Test
    void exceptionPropagatesToParent() {
        IllegalStateException boom = new IllegalStateException("boom");
        Greenlet g = new Greenlet(() -> {
            throw boom;
        });
        IllegalStateException seen = assertThrows(IllegalStateException.class, g::switchTo);
        assertSame(boom, seen);
        assertTrue(g.isDead());
    }

    /** A checked exception propagates undeclared, as it is. */
    @Test
    void checkedExceptionPropagatesAsItIs() {
        Exception checked = new java.io.IOException("io");
        Greenlet g = new Greenlet(args -> {
            throw Greenlet.sneakyThrow(checked);
        });
        Throwable seen = assertThrows(Throwable.class, g::switchTo);
        assertSame(checked, seen);
    }

    /** GreenletExit escaping run is returned to the parent as a value, not thrown. */
    @Test
    void greenletExitIsReturnedAsValue() {
        GreenletExit exit = new GreenletExit("bye");
        Greenlet g = new Greenlet(() -> {
            throw exit;
        });
        assertSame(exit, g.switchTo());
        assertTrue(g.isDead());
    }

    /** Switching to a dead greenlet goes to its nearest live ancestor with the arguments. */
    @Test
    void switchToDeadGoesToParent() {
        Greenlet main = Greenlet.getcurrent();
        Greenlet dead = new Greenlet(() -> { });
        dead.switchTo();
        assertTrue(dead.isDead());
        // the parent is main = the current greenlet: the switch returns its own arguments at once
        assertEquals("same", dead.switchTo("same"));
        // from inside another greenlet, the switch to the dead one lands in main
        Greenlet g = new Greenlet(() -> {
            Object back = dead.switchTo("to-main");
            main.switchTo("got " + back);
        });
        assertEquals("to-main", g.switchTo());
        assertEquals("got again", g.switchTo("again"));
        assertTrue(g.isDead() || g.isActive());
        g.throwInto();
        // a dead chain: grandchild and child both dead -> main
        Greenlet child = new Greenlet(args -> "child saw " + args[0]);
        Greenlet grandchild = new Greenlet(args -> "gc", child);
        // grandchild finishes into its unstarted parent, which starts with that value, then ends in main
        assertEquals("child saw gc", grandchild.switchTo());
        assertTrue(child.isDead() && grandchild.isDead());
        Greenlet runner = new Greenlet(() -> main.switchTo("runner " + grandchild.switchTo("x")));
        assertEquals("x", runner.switchTo());
        assertTrue(runner.isActive());
        assertEquals("runner y", runner.switchTo("y"));
        runner.switchTo();
        assertTrue(runner.isDead());
    }

    /** throwInto raises the exception at the target's switch point; its finally blocks run. */
    @Test
    void throwIntoRaisesAtSwitchPoint() {
        Greenlet main = Greenlet.getcurrent();
        List<String> log = new ArrayList<>();
        Greenlet g = new Greenlet(() -> {
            try {
                main.switchTo("suspended");
            } catch (IllegalArgumentException e) {
                log.add("caught " + e.getMessage());
                main.switchTo("handled");
            } finally {
                log.add("finally");
            }
        });
        assertEquals("suspended", g.switchTo());
        assertEquals("handled", g.throwInto(new IllegalArgumentException("x")));
        assertEquals(List.of("caught x"), log);
        Object v = g.throwInto();
        assertInstanceOf(GreenletExit.class, v, "GreenletExit kills it and comes back as the value");
        assertEquals(List.of("caught x", "finally"), log);
        assertTrue(g.isDead());
    }

    /** An exception thrown into a greenlet and not caught there propagates to its parent. */
    @Test
    void uncaughtThrownExceptionReachesParent() {
        Greenlet main = Greenlet.getcurrent();
        Greenlet g = new Greenlet(() -> main.switchTo());
        g.switchTo();
        UnsupportedOperationException e = new UnsupportedOperationException("u");
        assertSame(e, assertThrows(UnsupportedOperationException.class, () -> g.throwInto(e)));
        assertTrue(g.isDead());
    }

    /**
     * An exception thrown into a greenlet goes, when uncaught there, to the greenlet's own parent
     * (greenlet's test_throw_goes_to_original_parent), through unstarted parents too.
     */
    @Test
    void thrownExceptionGoesToOriginalParent() {
        Greenlet main = Greenlet.getcurrent();
        Function<Object[], Object> f1 = args -> {
            try {
                main.switchTo("f1 ready to catch");
            } catch (IndexOutOfBoundsException e) {
                return "caught";
            }
            return "normal exit";
        };
        Function<Object[], Object> f2 = args -> main.switchTo("from f2");

        Greenlet g1 = new Greenlet(f1);
        Greenlet g2 = new Greenlet(f2, g1);
        assertThrows(IndexOutOfBoundsException.class, () -> g2.throwInto(new IndexOutOfBoundsException()));
        assertTrue(g2.isDead());
        assertTrue(g1.isDead());

        Greenlet h1 = new Greenlet(f1);
        Greenlet h2 = new Greenlet(f2, h1);
        assertEquals("f1 ready to catch", h1.switchTo());
        assertEquals("caught", h2.throwInto(new IndexOutOfBoundsException()));
        assertTrue(h2.isDead());
        assertTrue(h1.isDead());

        Greenlet k1 = new Greenlet(f1);
        Greenlet k2 = new Greenlet(f2, k1);
        assertEquals("f1 ready to catch", k1.switchTo());
        assertEquals("from f2", k2.switchTo());
        assertEquals("caught", k2.throwInto(new IndexOutOfBoundsException()));
        assertTrue(k2.isDead());
        assertTrue(k1.isDead());
    }

    /** throwInto an unstarted greenlet kills it without running it. */
    @Test
    void throwIntoUnstartedNeverRuns() {
        boolean[] ran = new boolean[1];
        Greenlet g = new Greenlet(() -> ran[0] = true);
        assertInstanceOf(GreenletExit.class, g.throwInto());
        assertFalse(ran[0]);
        assertTrue(g.isDead());
        Greenlet h = new Greenlet(() -> ran[0] = true);
        RuntimeException r = new RuntimeException("r");
        assertSame(r, assertThrows(RuntimeException.class, () -> h.throwInto(r)));
        assertFalse(ran[0]);
        assertTrue(h.isDead());
    }

    /**
     * Killing a greenlet that never started or already finished returns the very GreenletExit
     * (greenlet's test_throw_GreenletExit_not_started / _already_finished); another exception
     * thrown into a dead greenlet is raised in its parent.
     */
    @Test
    void killingUnstartedOrFinishedReturnsTheGreenletExit() {
        Greenlet unstarted = new Greenlet(() -> {
            throw new AssertionError("never executed");
        });
        GreenletExit e1 = new GreenletExit();
        assertSame(e1, unstarted.throwInto(e1));
        Greenlet finished = new Greenlet(() -> { });
        finished.switchTo();
        GreenletExit e2 = new GreenletExit();
        assertSame(e2, finished.throwInto(e2));
        IllegalStateException other = new IllegalStateException();
        assertSame(other, assertThrows(IllegalStateException.class, () -> finished.throwInto(other)));
    }

    /** isActive/isDead follow the life cycle: pending, active, dead. */
    @Test
    void lifeCycleFlags() {
        Greenlet main = Greenlet.getcurrent();
        assertTrue(main.isActive());
        assertFalse(main.isDead());
        assertNull(main.parent());
        Greenlet g = new Greenlet(() -> main.switchTo());
        assertFalse(g.isActive());
        assertFalse(g.isDead());
        g.switchTo();
        assertTrue(g.isActive());
        g.switchTo();
        assertTrue(g.isDead());
        assertFalse(g.isActive());
    }

    /** getcurrent names the running greenlet, and each greenlet's parent defaults to its creator. */
    @Test
    void getcurrentAndDefaultParent() {
        Greenlet main = Greenlet.getcurrent();
        AtomicReference<Greenlet> inside = new AtomicReference<>();
        AtomicReference<Greenlet> innerParent = new AtomicReference<>();
        Greenlet[] g = new Greenlet[1];
        g[0] = new Greenlet(() -> {
            inside.set(Greenlet.getcurrent());
            innerParent.set(new Greenlet(() -> { }).parent());
        });
        g[0].switchTo();
        assertSame(g[0], inside.get());
        assertSame(g[0], innerParent.get());
        assertSame(main, g[0].parent());
        assertSame(main, Greenlet.getcurrent());
    }

    /** setParent rejects cycles (and the greenlet itself) and keeps the old parent. */
    @Test
    void setParentRejectsCycles() {
        Greenlet main = Greenlet.getcurrent();
        Greenlet a = new Greenlet(() -> { });
        Greenlet b = new Greenlet(() -> { }, a);
        Greenlet c = new Greenlet(() -> { }, b);
        assertThrows(IllegalArgumentException.class, () -> a.setParent(c));
        assertThrows(IllegalArgumentException.class, () -> a.setParent(a));
        assertSame(main, a.parent());
        assertThrows(NullPointerException.class, () -> a.setParent(null));
        b.setParent(main);
        a.setParent(c);
        assertSame(c, a.parent());
    }

    /** A parent from another thread is rejected, and so is a switch to another thread's greenlet. */
    @Test
    void crossThreadRejected() throws Exception {
        Greenlet mine = new Greenlet(() -> { });
        AtomicReference<Greenlet> otherMain = new AtomicReference<>();
        AtomicReference<Throwable> switchFromOther = new AtomicReference<>();
        AtomicReference<Greenlet> otherPending = new AtomicReference<>();
        Thread t = new Thread(() -> {
            otherMain.set(Greenlet.getcurrent());
            otherPending.set(new Greenlet(() -> { }));
            try {
                mine.switchTo();
            } catch (Throwable e) {
                switchFromOther.set(e);
            }
        });
        t.start();
        t.join(10_000);
        assertFalse(t.isAlive());
        assertInstanceOf(GreenletError.class, switchFromOther.get());
        assertFalse(mine.isActive(), "the rejected switch did not start it");
        assertThrows(GreenletError.class, () -> otherPending.get().switchTo());
        assertThrows(GreenletError.class, () -> otherMain.get().switchTo());
        assertThrows(IllegalArgumentException.class, () -> mine.setParent(otherMain.get()));
        assertTrue(otherPending.get() != mine && otherMain.get() != Greenlet.getcurrent(),
                "each thread has its own main greenlet");
        mine.switchTo();
        assertTrue(mine.isDead());
    }

    /** Each thread has its own implicit main greenlet, with no parent, and runs its own greenlets. */
    @Test
    void perThreadMainGreenlet() throws Exception {
        Greenlet here = Greenlet.getcurrent();
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            Greenlet main = Greenlet.getcurrent();
            Greenlet g = new Greenlet(() -> main.switchTo("hello from " + Thread.currentThread().isVirtual()));
            Object first = g.switchTo();
            g.switchTo();
            result.set(List.of(main != here, main.parent() == null, first, g.isDead(), Greenlet.getcurrent() == main));
        });
        t.start();
        t.join(10_000);
        assertEquals(List.of(true, true, "hello from " + !Greenlet.backend().equals("continuation"), true, true),
                result.get());
    }

    /** Deep recursion inside a greenlet survives switches in and out. */
    @Test
    void deepStackSurvivesSwitches() {
        Greenlet main = Greenlet.getcurrent();
        Greenlet g = new Greenlet(args -> depth(500, main));
        assertEquals(500, g.switchTo());
        assertEquals(500, g.switchTo());
        assertTrue(g.isDead());
    }

    private static int depth(int n, Greenlet main) {
        if (n == 0) {
            main.switchTo(500);
            return 0;
        }
        return depth(n - 1, main) + 1;
    }

    /** Many greenlets switched round-robin keep their own state. */
    @Test
    void manyGreenletsRoundRobin() {
        Greenlet main = Greenlet.getcurrent();
        int n = 200;
        List<Greenlet> gs = new ArrayList<>();
        int[] sums = new int[n];
        for (int i = 0; i < n; i++) {
            int id = i;
            gs.add(new Greenlet(args -> {
                int local = 0;
                for (int round = 0; round < 3; round++) {
                    local += id;
                    main.switchTo();
                }
                sums[id] = local;
                return null;
            }));
        }
        for (int round = 0; round < 4; round++) {
            for (Greenlet g : gs) {
                g.switchTo();
            }
        }
        for (int i = 0; i < n; i++) {
            assertEquals(3 * i, sums[i]);
            assertTrue(gs.get(i).isDead());
        }
    }

    /**
     * A greenlet may block in the JDK while it runs (here on a latch another thread opens, then a
     * timed sleep); the switch back afterwards still arrives. On the virtual-thread backend this
     * is the home carrier's path for a greenlet woken by another thread.
     */
    @Test
    void greenletBlockedInTheJdkIsWokenByAnotherThread() throws Exception {
        Greenlet main = Greenlet.getcurrent();
        java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(1);
        Greenlet g = new Greenlet(args -> {
            try {
                assertTrue(open.await(10, TimeUnit.SECONDS), "opened by the other thread");
                Thread.sleep(1);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            main.switchTo("after blocking");
            return "end";
        });
        Thread opener = new Thread(open::countDown);
        opener.start();
        assertEquals("after blocking", g.switchTo());
        assertEquals("end", g.switchTo());
        opener.join(10_000);
    }

    /** On the virtual-thread backend a platform thread carries its own greenlets (no cross-thread hand-off). */
    @Test
    void platformHomeCarriesItsGreenletsOnTheVirtualThreadBackend() {
        Greenlet main = Greenlet.getcurrent();
        Greenlet g = new Greenlet(args -> main.switchTo(Thread.currentThread()));
        Object greenletThread = g.switchTo();
        if (Greenlet.backend().equals("virtual-thread")) {
            assertTrue(((Thread) greenletThread).isVirtual(), "each greenlet is a virtual thread");
            assertTrue(GreenletThread.current().carrier != null, "the home thread is the carrier");
        } else {
            assertSame(Thread.currentThread(), greenletThread);
        }
        assertNull(g.switchTo((Object) null));
    }
}
