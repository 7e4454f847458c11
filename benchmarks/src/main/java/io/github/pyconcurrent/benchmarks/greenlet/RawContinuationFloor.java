package io.github.pyconcurrent.benchmarks.greenlet;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The floor under the continuation greenlet backend: the JDK's bare
 * {@code jdk.internal.vm.Continuation} doing what {@link GreenletBenchmark} measures, with no
 * greenlet bookkeeping at all. Not paired with anything (no {@code @Versus}): read it with
 * {@code --verbose} to see how much of a greenlet switch is the JDK's and how much is ours,
 * measured in the same run on the same machine.
 *
 * <ul>
 * <li>{@code switchPingPongFloor}: run a continuation that yields straight back; per switch (a
 *     run and a yield are two switches).</li>
 * <li>{@code createAndRunFloor}: create a continuation and run it to its end.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RawContinuationFloor {
    private static final Object SCOPE;
    private static final MethodHandle NEW;
    private static final MethodHandle RUN;
    private static final MethodHandle YIELD;

    static {
        try {
            Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
            Class<?> continuationClass = Class.forName("jdk.internal.vm.Continuation");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SCOPE = lookup.findConstructor(scopeClass, MethodType.methodType(void.class, String.class))
                    .invoke("floor");
            NEW = lookup.findConstructor(continuationClass,
                            MethodType.methodType(void.class, scopeClass, Runnable.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
            RUN = lookup.findVirtual(continuationClass, "run", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            YIELD = lookup.findStatic(continuationClass, "yield", MethodType.methodType(boolean.class, scopeClass))
                    .asType(MethodType.methodType(boolean.class, Object.class));
        } catch (Throwable t) {
            throw new ExceptionInInitializerError(t);
        }
    }

    /** A continuation that yields forever. */
    @State(Scope.Thread)
    public static class Yielder {
        Object continuation;

        @Setup(Level.Iteration)
        public void start() throws Throwable {
            continuation = (Object) NEW.invokeExact(SCOPE, (Runnable) RawContinuationFloor::yieldForever);
        }
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public void switchPingPongFloor(Yielder y) throws Throwable {
        RUN.invokeExact(y.continuation);
    }

    @Benchmark
    public Object createAndRunFloor() throws Throwable {
        Object c = (Object) NEW.invokeExact(SCOPE, (Runnable) RawContinuationFloor::nothing);
        RUN.invokeExact(c);
        return c;
    }

    private static void nothing() {
        // the continuation's body: nothing
    }

    private static void yieldForever() {
        try {
            while (true) {
                boolean ignored = (boolean) YIELD.invokeExact(SCOPE);
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
