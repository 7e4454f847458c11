package io.github.pyconcurrent.greenlet;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Greenlets as virtual threads: every non-main greenlet runs on its own virtual thread, and
 * exactly one greenlet of a home thread runs at a time. Always available; slower than
 * continuations.
 *
 * <p>Two ways to schedule them, chosen per home thread at its first switch:
 * <ul>
 * <li>A platform home thread carries its greenlets itself ({@link HomeCarrier}): the main
 *     greenlet runs a trampoline, a greenlet switches out with {@code Thread.yield()}, and no
 *     other OS thread is involved (a few hundred ns per switch). A switch out of a pinned frame
 *     (class initializer, native frame) throws {@link GreenletError}, as on the continuation
 *     backend.</li>
 * <li>A virtual home thread (or a JVM without {@code --add-opens=java.base/java.lang}) uses the
 *     JDK's default scheduler and a strict hand-off: a switch gives the target its turn (a
 *     volatile write, then {@code unpark}) and parks until its own turn comes back. Fast when the
 *     scheduler has few carriers ({@code -Djdk.virtualThreadScheduler.parallelism=1}, ~150 ns),
 *     microseconds with the default; a switch out of a pinned frame is made (it blocks a
 *     carrier meanwhile).</li>
 * </ul>
 *
 * <p>Differences the user can see: each greenlet has its own {@code ThreadLocal}s and its own
 * {@code Thread.currentThread()}; the greenlets of a home still never run at the same time.
 * (A {@code Thread.yield()} ping-pong was rejected: it livelocks when the scheduler has one
 * carrier.)
 */
final class VirtualThreadBackend implements SwitchBackend {
    static final String NAME = "virtual-thread";

    /** Greenlet threads of homes that cannot carry their own (see {@link HomeCarrier}). */
    private static final ThreadFactory DEFAULT_SCHEDULED = Thread.ofVirtual()
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
        if (home.greenletThreads == null) {
            chooseScheduler(home);
        }
        HomeCarrier carrier = home.carrier;
        if (carrier != null) {
            if (self == home.main) {
                carrier.trampoline(home, to);
            } else {
                carrier.switchOut(self);
            }
            return;
        }
        handOff(home, to);
        awaitTurn(self);
    }

    @Override
    public void finish(GreenletThread home, Strand self, Strand to) {
        self.thread = null;
        LIVE.decrementAndGet();
        if (home.carrier == null) {
            handOff(home, to);
        }
        // else: returning ends the virtual thread; the trampoline then runs home.next
    }

    private static void chooseScheduler(GreenletThread home) {
        ThreadFactory carried = HomeCarrier.threadsFor(home);
        home.greenletThreads = carried != null ? carried : DEFAULT_SCHEDULED;
    }

    /** Makes {@code to}'s virtual thread; on a home carrier it is started but not yet run. */
    static void startThread(GreenletThread home, Strand to) {
        Thread t = home.greenletThreads.newThread(() -> {
            GreenletThread.bind(home);
            to.run();
        });
        to.thread = t;
        LIVE.incrementAndGet();
        if (home.carrier != null) {
            home.carrier.start(t, to);
        } else {
            t.start();
        }
    }

    /** Default-scheduler hand-off: gives {@code to} the turn and wakes (or starts) its thread. */
    private static void handOff(GreenletThread home, Strand to) {
        home.enter();
        if (to.thread == null) {
            startThread(home, to);
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
