package io.github.pyconcurrent.greenlet;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.HashSet;
import java.util.Set;

/**
 * The greenlets of one thread: its implicit main greenlet, which greenlet runs now, the switch in
 * progress, and the suspended greenlets waiting to be killed because nothing references them.
 *
 * <p>Thread-confinement: used only by the greenlet holding the thread's turn (see {@link Strand}).
 */
final class GreenletThread {
    /** The switching backend of this JVM, chosen once (see {@link Backends}). */
    static final SwitchBackend BACKEND = Backends.select();

    private static final System.Logger LOG = System.getLogger(Greenlet.class.getName());

    /**
     * A thread's greenlet state. The virtual threads of the virtual-thread backend are bound to
     * their home's state by {@link #bind}, so they see the same main and current greenlet.
     */
    private static final ThreadLocal<GreenletThread> CURRENT = ThreadLocal.withInitial(GreenletThread::new);

    final Thread thread;
    final Strand main;
    final Greenlet mainGreenlet;

    /** The running strand and its facade: the facade is strongly held only while it runs. */
    Strand current;
    Greenlet currentGreenlet;

    /** The strand a switch in progress goes to; moved to {@link #current} by {@link #enter()}. */
    Strand next;
    Greenlet nextGreenlet;

    // -- virtual-thread backend: how this home's greenlet threads are made and carried
    /** Made at the first greenlet start (see {@link VirtualThreadBackend}). */
    java.util.concurrent.ThreadFactory greenletThreads;
    /** This home thread as the only carrier of its greenlets; null: the JDK's default scheduler. */
    HomeCarrier carrier;

    /** Facades of started greenlets that became unreachable. */
    private final ReferenceQueue<Greenlet> unreachable = new ReferenceQueue<>();
    /** Keeps the phantom references themselves reachable until their greenlet dies. */
    private final Set<KillRef> killRefs = new HashSet<>();
    /** True while unreachable greenlets are being killed, so a kill's own switches don't recurse. */
    private boolean killing;

    private GreenletThread() {
        thread = Thread.currentThread();
        main = new Strand(this, null, null, Strand.ACTIVE);
        main.thread = thread;
        main.collectable = false;
        mainGreenlet = new Greenlet(main);
        current = main;
        currentGreenlet = mainGreenlet;
    }

    /**
     * Whether the calling thread may run this home's greenlets: the home thread itself, or (on the
     * virtual-thread backend) the virtual thread of the greenlet holding the turn. Another thread
     * may read a stale {@link #current}, but every strand's thread is one of this home's, never
     * the caller's, so the answer is still false.
     */
    boolean isCurrentThread() {
        Thread t = Thread.currentThread();
        return t == thread || t == current.thread;
    }

    static GreenletThread current() {
        return CURRENT.get();
    }

    /** Makes the calling (virtual) thread run greenlets of {@code home}. */
    static void bind(GreenletThread home) {
        CURRENT.set(home);
    }

    /**
     * Names {@code target} as the next to run, starting it if new; returns whether it was new, for
     * {@link #cancelSwitch}.
     */
    boolean prepareSwitch(Greenlet target) {
        Strand to = target.strand;
        boolean wasNew = to.state == Strand.NEW;
        if (wasNew) {
            to.state = Strand.ACTIVE;
        }
        next = to;
        nextGreenlet = target;
        return wasNew;
    }

    /**
     * Registers {@code s}, about to be suspended, to be killed once {@code facade} is unreachable.
     * Done at its first suspension rather than at its start: until then the running greenlet's
     * facade is {@link #currentGreenlet}, strongly held, so a greenlet that never suspends (create,
     * run to end) costs no phantom reference.
     */
    void watchForUnreachable(Greenlet facade, Strand s) {
        s.killRef = new KillRef(facade, s, unreachable);
        killRefs.add(s.killRef);
    }

    /** Undoes {@link #prepareSwitch} and the delivery, for a switch the backend could not make. */
    void cancelSwitch(Strand to, boolean wasNew) {
        next = null;
        nextGreenlet = null;
        if (wasNew) {
            forget(to);
        }
        to.undeliver(wasNew);
    }

    /** The backend calls this at the moment the switch's target takes the thread. */
    void enter() {
        current = next;
        currentGreenlet = nextGreenlet;
        next = null;
        nextGreenlet = null;
    }

    /** A strand has ended (or never started): it needs no kill any more. */
    void forget(Strand s) {
        KillRef ref = s.killRef;
        if (ref != null) {
            s.killRef = null;
            killRefs.remove(ref);
            ref.clear();
        }
    }

    /**
     * Throws {@link GreenletExit} into every started, unfinished greenlet whose facade has become
     * unreachable, with the current greenlet as its parent, as greenlet does when it deallocates a
     * suspended greenlet; their {@code finally} blocks run here, on the home thread.
     */
    void killUnreachable() {
        if (killing) {
            return;
        }
        KillRef ref = (KillRef) unreachable.poll();
        if (ref == null) {
            return;
        }
        killing = true;
        try {
            do {
                killRefs.remove(ref);
                Strand s = ref.strand;
                s.killRef = null;
                // Killed once: if its finally blocks switch away, the facade made here must not
                // get it killed a second time.
                s.collectable = false;
                if (s.state == Strand.ACTIVE) {
                    s.parent = currentGreenlet;
                    try {
                        Greenlet.switchInto(new Greenlet(s), null, false, new GreenletExit());
                    } catch (Throwable t) {
                        LOG.log(System.Logger.Level.WARNING,
                                "exception ignored while killing an unreachable greenlet", t);
                    }
                }
                ref = (KillRef) unreachable.poll();
            } while (ref != null);
        } finally {
            killing = false;
        }
    }

    /** Enqueued when a started greenlet's facade is unreachable; holds the strand to kill. */
    static final class KillRef extends PhantomReference<Greenlet> {
        final Strand strand;

        KillRef(Greenlet facade, Strand strand, ReferenceQueue<Greenlet> queue) {
            super(facade, queue);
            this.strand = strand;
        }
    }
}
