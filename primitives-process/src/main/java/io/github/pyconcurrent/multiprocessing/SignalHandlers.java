package io.github.pyconcurrent.multiprocessing;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.IntConsumer;

/**
 * Installs a child JVM's handler of a POSIX signal (Python's {@code signal.signal}), through
 * {@code sun.misc.Signal} and {@code sun.misc.SignalHandler} (module {@code jdk.unsupported}, the
 * JDK's supported way to handle TERM, INT and HUP in Java) reached by method handles rather than by
 * name: javac warns of every named use of those classes ("internal proprietary API") under
 * {@code --release}, with no switch or {@code @SuppressWarnings} to silence it, and this module's
 * build makes warnings fatal.
 */
final class SignalHandlers {
    private SignalHandlers() {}

    /**
     * Makes {@code handler} the handler of the signal called {@code name} ("TERM", "INT", "HUP":
     * {@code sun.misc.Signal}'s names), in place of the JVM's; it runs on the JVM's signal thread
     * with the signal's number.
     *
     * @throws IllegalArgumentException if the JVM or the OS keeps that signal for itself (as
     *         {@code sun.misc.Signal.handle} does)
     * @throws IllegalStateException if this JDK has no {@code sun.misc.Signal} (a runtime image built
     *         without the {@code jdk.unsupported} module: add it)
     */
    static void handle(String name, IntConsumer handler) {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object signal = lookup.findConstructor(signalType, MethodType.methodType(void.class, String.class)).invoke(name);
            int number = (int) lookup.findVirtual(signalType, "getNumber", MethodType.methodType(int.class)).invoke(signal);
            // SignalHandler.handle(Signal): run handler.accept(number), whatever Signal object the JVM passes.
            MethodHandle accept = lookup.findVirtual(IntConsumer.class, "accept", MethodType.methodType(void.class, int.class));
            MethodHandle onSignal = MethodHandles.dropArguments(MethodHandles.insertArguments(accept, 0, handler, number), 0, signalType);
            Object signalHandler = MethodHandleProxies.asInterfaceInstance(handlerType, onSignal);
            lookup.findStatic(signalType, "handle", MethodType.methodType(handlerType, signalType, handlerType))
                    .invoke(signal, signalHandler);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot install the SIG" + name + " handler: this JDK has no sun.misc.Signal;"
                    + " run the child on a JDK (or jlink image) with the jdk.unsupported module", e);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot install the SIG" + name + " handler", e);
        }
    }
}
