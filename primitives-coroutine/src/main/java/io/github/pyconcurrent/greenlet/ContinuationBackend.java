package io.github.pyconcurrent.greenlet;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Greenlets as the JDK's one-shot delimited continuations ({@code jdk.internal.vm.Continuation},
 * the machinery under virtual threads). A continuation is asymmetric: {@code run()} enters it,
 * {@code yield} returns to whoever ran it. Symmetric switching is built with a trampoline on the
 * home thread's own stack: the main greenlet runs the continuation of the next greenlet; a
 * greenlet switching elsewhere names its target in {@link GreenletThread#next} and yields back to
 * the trampoline, which runs that target, until the target is the main greenlet again.
 *
 * <p>Why method handles: the class is in a package {@code java.base} does not export, and
 * {@code javac --release 21} refuses {@code --add-exports}. Reaching it through
 * this class's own {@code MethodHandles.lookup()} (which honours the qualified export) keeps the module on {@code --release 21} (so it cannot use
 * an API newer than 21 by accident); the handles are {@code static final}, so the JIT inlines them
 * like direct calls (the yield, whose frames a suspended greenlet keeps, is an interface call
 * instead: {@link #YIELD}). At run time the package must still be exported to the unnamed module
 * ({@code --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED}); without it {@link #UNAVAILABLE}
 * says why and the virtual-thread backend is used.
 *
 * <p>Pitfalls, all of the JDK's continuation: a yield under a native frame (a class initializer,
 * a JNI upcall) is refused ("Pinned: NATIVE"), turned here into a {@link GreenletError}; a yield
 * inside {@code synchronized} succeeds on JDK 24+ but the suspended greenlet keeps the monitor.
 */
final class ContinuationBackend implements SwitchBackend {
    static final String NAME = "continuation";

    private static final Object SCOPE;
    /** (Object scope, Runnable body) -> Object continuation */
    private static final MethodHandle NEW_CONTINUATION;
    /** (Object continuation) -> void */
    private static final MethodHandle RUN;
    /**
     * {@code Continuation.yield(scope)} as an interface call ({@link LambdaMetafactory}'s class
     * calls it directly), not a method handle: a handle invoked before the JIT compiles its
     * caller leaves three frames of its own on the suspended greenlet's stack, and every
     * connection that waits keeps them (an interpreted frame is about 100 bytes).
     */
    private static final Yield YIELD;
    /** Why the continuation API is not usable in this JVM, or null when it is. */
    static final Throwable UNAVAILABLE;

    static {
        Object scope = null;
        MethodHandle newContinuation = null;
        MethodHandle run = null;
        Yield yield = null;
        Throwable unavailable = null;
        try {
            Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
            Class<?> continuationClass = Class.forName("jdk.internal.vm.Continuation");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            scope = lookup.findConstructor(scopeClass, MethodType.methodType(void.class, String.class))
                    .invoke("greenlet");
            newContinuation = lookup.findConstructor(continuationClass,
                            MethodType.methodType(void.class, scopeClass, Runnable.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
            run = lookup.findVirtual(continuationClass, "run", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            MethodType yieldType = MethodType.methodType(boolean.class, scopeClass);
            yield = (Yield) LambdaMetafactory.metafactory(lookup, "yieldTo", MethodType.methodType(Yield.class),
                            yieldType.changeParameterType(0, Object.class),
                            lookup.findStatic(continuationClass, "yield", yieldType), yieldType)
                    .getTarget().invoke();
            probe(scope, newContinuation, run, yield);
        } catch (Throwable t) {
            unavailable = t;
        }
        SCOPE = scope;
        NEW_CONTINUATION = newContinuation;
        RUN = run;
        YIELD = yield;
        UNAVAILABLE = unavailable;
    }

    /** Checks that a continuation can really be entered, suspended, resumed and finished here. */
    private static void probe(Object scope, MethodHandle newContinuation, MethodHandle run,
                              Yield yield) throws Throwable {
        int[] steps = new int[1];
        Object c = (Object) newContinuation.invokeExact(scope, (Runnable) () -> {
            steps[0]++;
            boolean ignored = yield.yieldTo(scope);
            steps[0]++;
        });
        run.invokeExact(c);
        run.invokeExact(c);
        if (steps[0] != 2) {
            throw new IllegalStateException("continuation probe ran " + steps[0] + " of 2 steps");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void transfer(GreenletThread home, Strand self, Strand to) {
        if (self == home.main) {
            trampoline(home, to);
            return;
        }
        if (MonitorCheck.enabled) {
            MonitorCheck.assertNoMonitorHeld();
        }
        // The yield is made here, not in a helper: every frame under it stays on the suspended
        // greenlet's stack (an idle connection's greenlet keeps them all), so one fewer counts.
        try {
            boolean ignored = YIELD.yieldTo(SCOPE);
        } catch (IllegalStateException e) {
            throw pinned(e);
        }
    }

    @Override
    public void finish(GreenletThread home, Strand self, Strand to) {
        // Returning from run() ends the continuation; the trampoline then runs home.next.
    }

    /** Runs greenlets on the main greenlet's stack until one switches back to the main greenlet. */
    private static void trampoline(GreenletThread home, Strand first) {
        Strand main = home.main;
        Strand to = first;
        do {
            home.enter();
            Object c = to.continuation;
            if (c == null) {
                c = newContinuation(to);
                to.continuation = c;
            }
            run(c);
            if (to.state == Strand.DEAD) {
                to.continuation = null;
            }
            to = home.next;
        } while (to != main);
        home.enter();
    }

    /** {@code Continuation.yield}'s shape, its scope typed {@code Object} (this class cannot name the JDK's). */
    interface Yield {
        /**
         * Suspends the running continuation of {@code scope}.
         *
         * @param scope the {@code ContinuationScope}
         * @return what {@code Continuation.yield} returns (whether it was suspended)
         * @throws IllegalStateException the continuation is pinned (a native frame or, before JDK 24, a monitor)
         */
        boolean yieldTo(Object scope);
    }

    /** A refused yield: a pinned stack is named as a GreenletError, anything else passes as it is. */
    private static RuntimeException pinned(IllegalStateException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("Pinned")) {
            return new GreenletError("cannot switch out of this greenlet: its stack is pinned to"
                    + " the thread (" + e.getMessage() + "), e.g. by a class initializer or a"
                    + " native frame; switch outside of it", e);
        }
        return e;
    }

    private static Object newContinuation(Runnable body) {
        try {
            return (Object) NEW_CONTINUATION.invokeExact(SCOPE, body);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void run(Object continuation) {
        try {
            RUN.invokeExact(continuation);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
