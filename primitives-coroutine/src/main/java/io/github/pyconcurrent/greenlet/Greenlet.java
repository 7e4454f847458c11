package io.github.pyconcurrent.greenlet;

import java.util.Objects;
import java.util.function.Function;

/**
 * A greenlet: a coroutine that the program switches to explicitly; Python's
 * {@code greenlet.greenlet}. There is no scheduler: {@link #switchTo} suspends the running
 * greenlet at that call and runs the target until the target switches somewhere else, or
 * finishes and so returns to its {@linkplain #parent() parent}.
 *
 * <pre>{@code
 * Greenlet[] gr = new Greenlet[2];
 * gr[0] = new Greenlet(() -> { System.out.println(12); gr[1].switchTo(); System.out.println(34); });
 * gr[1] = new Greenlet(() -> { System.out.println(56); gr[0].switchTo(); System.out.println(78); });
 * gr[0].switchTo();   // prints 12, 56, 34 - and 78 never, as in Python
 * }</pre>
 *
 * <h2>The rules (greenlet's)</h2>
 * <ul>
 * <li>The first {@code switchTo(args)} starts the greenlet: {@code run} receives {@code args}.
 *     Later switches pass values: a greenlet suspended in {@code switchTo} gets back the arguments
 *     of the switch that resumes it - one argument as itself, several as an {@code Object[]},
 *     none as an empty {@code Object[]}.</li>
 * <li>When {@code run} returns, the greenlet is dead and its return value is what the parent's
 *     pending {@code switchTo} returns; an exception escaping {@code run} is thrown there instead,
 *     except {@link GreenletExit}, which the parent receives as a value. A dead parent passes this
 *     on to its own parent.</li>
 * <li>A switch to a dead greenlet goes to its nearest live ancestor, with the same arguments.</li>
 * <li>{@link #throwInto} raises an exception at the target's switch point; a greenlet that never
 *     started dies without running.</li>
 * <li>Every thread has its own implicit main greenlet ({@link #getcurrent()} before any switch).
 *     A greenlet belongs to its parent's thread; switching to a greenlet of another thread
 *     throws {@link GreenletError}.</li>
 * <li>A started, unfinished greenlet that becomes unreachable gets {@link GreenletExit} thrown
 *     into it on its home thread (its {@code finally} blocks run) at that thread's next
 *     {@code switchTo}, {@code throwInto} or {@code getcurrent}. A greenlet whose own suspended
 *     stack references it (a subclass overriding {@link #run(Object[])}, a lambda capturing its
 *     greenlet) stays reachable and is not killed this way.</li>
 * </ul>
 *
 * <h2>Backends</h2>
 * {@link #backend()} is {@code "continuation"} (the JDK's own one-shot continuations; needs
 * {@code --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED}, which the toolkit's JVM flags
 * contain) or {@code "virtual-thread"} (a virtual thread per greenlet, carried by the home thread
 * itself when that is a platform thread; always available). The system property
 * {@code pyconcurrent.greenlet.backend} forces one at start-up.
 *
 * <h2>Pitfalls (Java has things Python does not)</h2>
 * <ul>
 * <li>Monitors: a greenlet that switches out inside {@code synchronized} keeps the monitor while
 *     suspended. Another greenlet entering that monitor then blocks its whole thread - on the
 *     continuation backend the home thread itself - and nothing can resume the owner: a deadlock.
 *     Never switch while holding a monitor or a {@code java.util.concurrent} lock.</li>
 * <li>{@code ReentrantLock}s and {@code ThreadLocal}s belong to the thread: on the continuation
 *     backend all greenlets of a thread share them; on the virtual-thread backend each greenlet
 *     has its own.</li>
 * <li>A switch out of a class initializer or from under a native frame cannot be made on the
 *     continuation backend, nor on the virtual-thread backend when the home thread is a platform
 *     thread (it is its greenlets' only carrier); it throws {@link GreenletError} and nothing is
 *     switched.</li>
 * <li>Recursion depth inside a greenlet is bounded by its home thread's stack size
 *     (continuation backend) or the virtual thread's maximum stack.</li>
 * </ul>
 *
 * <p>Memory consistency: everything a greenlet did before a switch happens-before what the target
 * does after it resumes.
 *
 * <p>Differences from Python: {@code switch} and {@code throw} are Java keywords, hence
 * {@code switchTo} and {@code throwInto}; a checked exception thrown into or out of a greenlet
 * propagates undeclared, as it would in Python; {@code gr_frame}, {@code settrace} and
 * {@code gettrace} are not provided.
 */
public class Greenlet {
    private static final Object[] NO_ARGS = new Object[0];

    /** This greenlet's execution state; never references this facade (see {@link Strand}). */
    final Strand strand;

    /**
     * A greenlet running {@code run}, child of the current greenlet.
     *
     * @param run the greenlet's body: it receives the first switch's arguments, and its return
     *     value goes to the parent
     * @throws NullPointerException if {@code run} is null
     */
    public Greenlet(Function<Object[], Object> run) {
        this(run, null);
    }

    /**
     * A greenlet running {@code run} (it returns null to its parent), child of the current
     * greenlet.
     *
     * @param run the greenlet's body
     * @throws NullPointerException if {@code run} is null
     */
    public Greenlet(Runnable run) {
        this(asFunction(run), null);
    }

    /**
     * A greenlet running {@code run} whose parent is {@code parent} (null: the current greenlet).
     *
     * @param run the greenlet's body: it receives the first switch's arguments, and its return
     *     value goes to the parent
     * @param parent the greenlet to return to when {@code run} ends, of the same thread; null for
     *     the current greenlet
     * @throws NullPointerException if {@code run} is null
     */
    public Greenlet(Function<Object[], Object> run, Greenlet parent) {
        Objects.requireNonNull(run, "run");
        Greenlet p = parent != null ? parent : getcurrent();
        this.strand = new Strand(p.strand.home, run, p, Strand.NEW);
    }

    /**
     * A greenlet running {@code run} whose parent is {@code parent} (null: the current greenlet).
     *
     * @param run the greenlet's body
     * @param parent the greenlet to return to when {@code run} ends, of the same thread; null for
     *     the current greenlet
     * @throws NullPointerException if {@code run} is null
     */
    public Greenlet(Runnable run, Greenlet parent) {
        this(asFunction(run), parent);
    }

    /**
     * For subclasses that override {@link #run(Object[])} (Python's subclassing of greenlet),
     * with {@code parent} as the parent (null: the current greenlet).
     *
     * @param parent the greenlet to return to when {@link #run(Object[])} ends; null for the
     *     current greenlet
     */
    protected Greenlet(Greenlet parent) {
        Greenlet p = parent != null ? parent : getcurrent();
        this.strand = new Strand(p.strand.home, this, p);
        this.strand.collectable = false;
    }

    /** A facade for an existing strand: a thread's main greenlet, or a greenlet being killed. */
    Greenlet(Strand strand) {
        this.strand = strand;
    }

    /**
     * The body of a greenlet made by the subclass constructor; receives the first switch's
     * arguments. This default throws: override it, or use a constructor taking {@code run}.
     *
     * @param args the arguments of the first {@link #switchTo} (an empty array for none)
     * @return the value the parent's pending {@code switchTo} returns when this greenlet ends
     * @throws UnsupportedOperationException always, in this default: a subclass must override it
     */
    protected Object run(Object[] args) {
        throw new UnsupportedOperationException("Greenlet subclass does not override run");
    }

    /**
     * The name of the switching backend of this JVM: {@code "continuation"} or
     * {@code "virtual-thread"}.
     *
     * @return {@code "continuation"} or {@code "virtual-thread"}, fixed for the life of the JVM
     */
    public static String backend() {
        return GreenletThread.BACKEND.name();
    }

    /**
     * The greenlet running now; a thread's implicit main greenlet when nothing was switched to.
     *
     * @return the running greenlet of the calling thread, never null
     */
    public static Greenlet getcurrent() {
        GreenletThread home = GreenletThread.current();
        home.killUnreachable();
        return home.currentGreenlet;
    }

    /**
     * Switches to this greenlet, suspending the current one here; returns what the switch that
     * resumes the current greenlet passes (see the class comment for the packing rule), or throws
     * what is thrown into it.
     *
     * @param args the values to pass: the target's {@code run} receives them if it starts, its
     *     pending {@code switchTo} returns them (packed) otherwise
     * @return the value passed by the switch that resumes the current greenlet (see the class
     *     comment)
     * @throws GreenletError this greenlet belongs to another thread, or the current greenlet
     *     cannot be suspended here
     */
    public final Object switchTo(Object... args) {
        return switchInto(this, args == null ? NO_ARGS : args, true, null);
    }

    /**
     * {@link #switchTo(Object...)} with no arguments (the resumed greenlet receives an empty
     * {@code Object[]}). A separate overload only so that the commonest switch allocates nothing.
     *
     * @return the value passed by the switch that resumes the current greenlet
     * @throws GreenletError as {@link #switchTo(Object...)} does
     */
    public final Object switchTo() {
        return switchInto(this, NO_ARGS, true, null);
    }

    /**
     * {@link #switchTo(Object...)} with one argument, which the resumed greenlet receives as
     * itself ({@code run} receives it in a one-element array). A separate overload only so that a
     * one-value switch allocates nothing; an {@code Object[]} argument still selects the varargs
     * form, as before.
     *
     * @param arg the one value to pass: the target's pending {@code switchTo} returns it as itself
     * @return the value passed by the switch that resumes the current greenlet
     * @throws GreenletError as {@link #switchTo(Object...)} does
     */
    public final Object switchTo(Object arg) {
        return switchInto(this, arg, false, null);
    }

    /**
     * Switches to this greenlet and throws {@code exception} there at its switch point (before
     * {@code run} if it never started, which then never runs; in its nearest live ancestor if it
     * is dead). With {@link GreenletExit} this kills it, and the GreenletExit comes back as this
     * call's value (a dead greenlet passes a GreenletExit on to that ancestor as a value).
     * Returns what the switch that resumes the current greenlet passes.
     *
     * @param exception the exception to raise in this greenlet
     * @return the value passed by the switch that resumes the current greenlet (the
     *     {@link GreenletExit} itself when it killed this one)
     * @throws NullPointerException if {@code exception} is null
     * @throws GreenletError if this greenlet belongs to another thread, or the current one cannot
     *     be suspended here
     */
    public final Object throwInto(Throwable exception) {
        return switchInto(this, NO_ARGS, true, Objects.requireNonNull(exception, "exception"));
    }

    /**
     * {@code throwInto(new GreenletExit())}: Python's {@code g.throw()}.
     *
     * @return the {@link GreenletExit}, once it has killed this greenlet, or the value of a later
     *     switch back
     * @throws GreenletError as {@link #throwInto(Throwable)} does
     */
    public final Object throwInto() {
        return throwInto(new GreenletExit());
    }

    /**
     * True once this greenlet has finished (or was killed before it started).
     *
     * @return true once {@code run} has ended (returned or thrown) or the greenlet was killed
     *     before it started
     */
    public final boolean isDead() {
        return strand.state == Strand.DEAD;
    }

    /**
     * True when started and not dead: Python's {@code bool(g)}.
     *
     * @return true from the first switch into it until it ends
     */
    public final boolean isActive() {
        return strand.state == Strand.ACTIVE;
    }

    /**
     * The greenlet this one returns to when it finishes; null for a thread's main greenlet.
     *
     * @return the parent greenlet, or null for a thread's main greenlet
     */
    public final Greenlet parent() {
        return strand.parent;
    }

    /**
     * Makes {@code parent} the greenlet this one returns to when it finishes.
     *
     * @param parent the new parent, of the same thread
     * @throws IllegalArgumentException the parent chain would become a cycle, or {@code parent}
     *     belongs to another thread (Python's ValueError)
     * @throws NullPointerException if {@code parent} is null (Python refuses {@code None} too)
     */
    public final void setParent(Greenlet parent) {
        Objects.requireNonNull(parent, "parent");
        if (parent.strand.home != strand.home) {
            throw new IllegalArgumentException("parent cannot be on a different thread");
        }
        for (Greenlet g = parent; g != null; g = g.strand.parent) {
            if (g.strand == strand) {
                throw new IllegalArgumentException("cyclic parent chain");
            }
        }
        strand.parent = parent;
    }

    @Override
    public String toString() {
        String state = switch (strand.state) {
            case Strand.NEW -> "pending";
            case Strand.ACTIVE -> strand.run == null ? "main" : "active";
            default -> "dead";
        };
        return getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(this))
                + "[" + state + ", thread " + strand.home.thread.getName() + "]";
    }

    /**
     * The one switch operation behind switchTo, throwInto and the unreachable-greenlet kill.
     * {@code payload} is the switch's argument list when {@code packed}, else its one argument;
     * the split exists so that no switch has to allocate an array to carry one value or none.
     */
    static Object switchInto(Greenlet target, Object payload, boolean packed, Throwable toThrow) {
        // The target's home, not a ThreadLocal lookup: a switch is legal only on that home's
        // thread, and checking that is a field read and Thread.currentThread().
        GreenletThread home = target.strand.home;
        if (!home.isCurrentThread()) {
            throw new GreenletError("cannot switch to a different thread: " + target
                    + " belongs to thread " + home.thread.getName());
        }
        home.killUnreachable();
        Strand self = home.current;
        if (target.strand.state == Strand.DEAD) {
            if (toThrow instanceof GreenletExit) {
                // greenlet: killing a dead greenlet is a plain switch of the GreenletExit to its parent
                payload = toThrow;
                packed = false;
                toThrow = null;
            }
            do {
                target = target.strand.parent;
            } while (target.strand.state == Strand.DEAD);
        }
        Strand to = target.strand;
        if (to == self) {
            if (toThrow != null) {
                throw sneakyThrow(toThrow);
            }
            return packed ? Strand.resumeValueOf((Object[]) payload) : payload;
        }
        if (toThrow != null) {
            to.resumeThrowable = toThrow;
        } else if (packed) {
            to.deliverArgs((Object[]) payload);
        } else {
            to.deliverValue(payload);
        }
        boolean wasNew = home.prepareSwitch(target);
        if (self.killRef == null && self.collectable) {
            // First suspension of a started greenlet: from now on only its facade keeps it alive.
            home.watchForUnreachable(home.currentGreenlet, self);
        }
        // The suspended stack keeps this frame: it must not keep the target alive.
        target = null;
        payload = null;
        toThrow = null;
        try {
            GreenletThread.BACKEND.transfer(home, self, to);
        } catch (GreenletError e) {
            home.cancelSwitch(to, wasNew);
            throw e;
        }
        return self.takeResumeResult();
    }

    private static Function<Object[], Object> asFunction(Runnable run) {
        Objects.requireNonNull(run, "run");
        return args -> {
            run.run();
            return null;
        };
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> RuntimeException sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
