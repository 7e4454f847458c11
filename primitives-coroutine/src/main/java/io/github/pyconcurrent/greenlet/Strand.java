package io.github.pyconcurrent.greenlet;

import java.util.function.Function;

/**
 * The execution state of one greenlet: its body, its parent, what the next switch into it
 * delivers, and the backend's handle on its stack.
 *
 * <p>A suspended strand's own stack references this object, never the {@link Greenlet} facade,
 * so a suspended greenlet that nobody else references can be collected and killed (see
 * {@link GreenletThread#killUnreachable()}).
 *
 * <p>Thread-confinement: every field is read and written only by the greenlet that currently holds
 * its home thread's turn. On the continuation backend that is one thread; on the virtual-thread
 * backend the hand-off's volatile write/read of {@link #turn} orders the plain fields between the
 * virtual threads that take turns.
 */
final class Strand implements Runnable {
    static final int NEW = 0;
    static final int ACTIVE = 1;
    static final int DEAD = 2;

    final GreenletThread home;
    /** null for a thread's main greenlet, which has no body of its own. */
    final Function<Object[], Object> run;
    /**
     * The facade whose {@link Greenlet#run(Object[])} is the body (a subclass overriding it), or
     * null: called directly rather than through a {@code this::run} function, one frame less on
     * every suspended stack (a suspended greenlet keeps each frame of its stack, see
     * {@link #run()}).
     */
    final Greenlet overriding;
    /** The facade of the parent; null only for a main greenlet. */
    Greenlet parent;
    /** NEW until first switched to, ACTIVE while started and not finished, then DEAD forever. */
    int state;

    /** Arguments for {@link #run}, set by the switch that starts this strand. */
    Object[] startArgs;
    /** The value the pending switch out of this strand returns when it is resumed. */
    Object resumeValue;
    /** Thrown at this strand's switch point (or before {@code run} when it has not started). */
    Throwable resumeThrowable;
    /**
     * False when the body is the facade's own method (a subclass overriding run): its suspended
     * stack then references the facade, which can never become unreachable first, so no
     * {@link #killRef} is worth registering.
     */
    boolean collectable = true;
    /**
     * Kills this strand once its facade is unreachable; registered at the strand's first switch
     * out (a greenlet that runs to its end without suspending never needs one), null before that,
     * after its death, and always for main strands.
     */
    GreenletThread.KillRef killRef;

    // -- continuation backend: the jdk.internal.vm.Continuation running run()
    Object continuation;

    // -- virtual-thread backend: the thread running run(), and the hand-off flag
    Thread thread;
    /**
     * On a home carrier ({@link HomeCarrier}): the suspended virtual thread's continuation, run by
     * the trampoline to switch to this strand; null while it runs.
     */
    Runnable resumeTask;
    /** Set (volatile) by the greenlet handing this strand its turn; cleared by this strand. */
    volatile boolean turn;

    Strand(GreenletThread home, Function<Object[], Object> run, Greenlet parent, int state) {
        this(home, run, null, parent, state);
    }

    /** A strand whose body is {@code overriding.run(args)} (see {@link #overriding}). */
    Strand(GreenletThread home, Greenlet overriding, Greenlet parent) {
        this(home, OVERRIDDEN, overriding, parent, NEW);
    }

    private Strand(GreenletThread home, Function<Object[], Object> run, Greenlet overriding, Greenlet parent, int state) {
        this.home = home;
        this.run = run;
        this.overriding = overriding;
        this.parent = parent;
        this.state = state;
    }

    /** Delivers a switch's arguments by greenlet's rule: run gets them all, a resume gets one. */
    void deliverArgs(Object[] args) {
        if (state == NEW) {
            startArgs = args;
        } else {
            resumeValue = resumeValueOf(args);
        }
    }

    /** What a resumed switchTo returns for a switch with {@code args}: one as itself, else all. */
    static Object resumeValueOf(Object[] args) {
        return args.length == 1 ? args[0] : args;
    }

    /** Delivers one value: the return value of a finished child. */
    void deliverValue(Object value) {
        if (state == NEW) {
            startArgs = new Object[] {value};
        } else {
            resumeValue = value;
        }
    }

    /** Forgets an undelivered switch (the backend could not make it). */
    void undeliver(boolean wasNew) {
        resumeValue = null;
        resumeThrowable = null;
        startArgs = null;
        if (wasNew) {
            state = NEW;
        }
    }

    /** Called by the backend when this strand resumes: the pending switch's result. */
    Object takeResumeResult() {
        Throwable t = resumeThrowable;
        Object v = resumeValue;
        resumeThrowable = null;
        resumeValue = null;
        if (t != null) {
            throw Greenlet.sneakyThrow(t);
        }
        return v;
    }

    /** {@link #run}'s stand-in for a strand whose body is its facade's overriding run method. */
    private static final Function<Object[], Object> OVERRIDDEN = args -> {
        throw new AssertionError("a strand with an overriding facade calls it directly");
    };

    /**
     * The whole life of a non-main greenlet, run on its own stack (the continuation backend runs
     * the strand itself, so no lambda per greenlet): run, then hand the result (or the failure)
     * to the nearest live ancestor. Its frame is at the bottom of every suspended greenlet's stack,
     * which the suspension keeps: one frame, not a run() calling a body method.
     */
    @Override
    public void run() {
        Object result = null;
        Throwable failure = null;
        try {
            Throwable thrownBeforeStart = resumeThrowable;
            resumeThrowable = null;
            if (thrownBeforeStart != null) {
                throw thrownBeforeStart;
            }
            Object[] args = startArgs;
            startArgs = null;
            result = overriding != null ? overriding.run(args) : run.apply(args);
        } catch (GreenletExit exit) {
            result = exit;
        } catch (Throwable t) {
            failure = t;
        }
        state = DEAD;
        home.forget(this);
        Greenlet target = parent;
        while (target.strand.state == DEAD) {
            target = target.strand.parent;
        }
        Strand to = target.strand;
        if (failure != null) {
            to.resumeThrowable = failure;
        } else {
            to.deliverValue(result);
        }
        home.prepareSwitch(target);
        GreenletThread.BACKEND.finish(home, this, to);
    }
}
