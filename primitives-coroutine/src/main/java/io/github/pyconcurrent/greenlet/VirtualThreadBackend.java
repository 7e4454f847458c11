package io.github.pyconcurrent.greenlet;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Greenlets as virtual threads with a strict hand-off: every non-main greenlet runs on its own
 * virtual thread, and exactly one greenlet of a home thread holds the turn. A switch gives the
 * target its turn (a volatile write, then {@code unpark}) and parks until its own turn comes
 * back. Always available; slower than continuations (two scheduler hops per switch).
 *
 * <p>Differences the user can see: each greenlet has its own {@code ThreadLocal}s and its own
 * {@code Thread.currentThread()}; the greenlets of a home still never run at the same time.
 * (A {@code Thread.yield()} ping-pong was rejected: it livelocks when the scheduler has one
 * carrier.)
 */
final class VirtualThreadBackend implements SwitchBackend {
    static final String NAME = "virtual-thread";

    private static final ThreadFactory THREADS = Thread.ofVirtual()
            .name("greenlet-", 1).inheritInheritableThreadLocals(false).factory();
    /** Greenlet virtual threads started and not yet finished: for leak checks. */
    private static final AtomicInteger LIVE = new AtomicInteger();

    static int liveThreads() {
        return LIVE.get();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void transfer(GreenletThread home, Strand self, Strand to) {
        handOff(home, to);
        awaitTurn(self);
    }

    @Override
    public void finish(GreenletThread home, Strand self, Strand to) {
        self.thread = null;
        LIVE.decrementAndGet();
        handOff(home, to);
    }

    private static void handOff(GreenletThread home, Strand to) {
        home.enter();
        if (to.thread == null) {
            Thread t = THREADS.newThread(() -> {
                GreenletThread.bind(home);
                to.body();
            });
            to.thread = t;
            LIVE.incrementAndGet();
            t.start();
        } else {
            Thread t = to.thread;
            to.turn = true;
            LockSupport.unpark(t);
        }
    }

    /** Parks until given the turn; an interrupt meanwhile is kept for after the switch. */
    private static void awaitTurn(Strand self) {
        boolean interrupted = false;
        while (!self.turn) {
            LockSupport.park(self);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        self.turn = false;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
