/**
 * Python's {@code greenlet}: coroutines switched explicitly by the program, on one thread.
 *
 * <p>{@link io.github.pyconcurrent.greenlet.Greenlet} is the whole API: make one with its body,
 * {@code switchTo} to run it, {@code throwInto} to raise inside it, {@code getcurrent()} to name
 * the running one. Each thread has an implicit main greenlet, and a greenlet belongs to the thread
 * of its parent.
 *
 * <p>Two backends, one chosen per JVM at start-up ({@code Greenlet.backend()}; force one with
 * {@code -Dpyconcurrent.greenlet.backend=continuation|virtual-thread}):
 * <ul>
 * <li>{@code continuation} (the default when usable): the JDK's own one-shot continuations, the
 *     machinery under virtual threads, reached with
 *     {@code --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED} (part of the toolkit's JVM
 *     flags, see {@code io.github.pyconcurrent.runtime.JvmFlags}). All greenlets of a thread run
 *     on that thread's stack, as in CPython.</li>
 * <li>{@code virtual-thread}: a virtual thread per greenlet; always available, slower per
 *     switch, and each greenlet has its own {@code ThreadLocal}s. A platform thread carries its
 *     own greenlets' virtual threads (a scheduler of the toolkit's, reached with
 *     {@code --add-opens=java.base/java.lang=ALL-UNNAMED}, also in the flags), so a switch stays
 *     on that thread; a virtual thread's greenlets use the JDK's default scheduler with a
 *     park/unpark hand-off, fast only when that scheduler has few carriers.</li>
 * </ul>
 *
 * <p>Pitfalls (see {@link io.github.pyconcurrent.greenlet.Greenlet}): never switch while holding a
 * monitor ({@code synchronized}) or a {@code java.util.concurrent} lock - the suspended greenlet
 * keeps it, and another greenlet of the same thread entering it deadlocks the thread
 * ({@code -Dpyconcurrent.greenlet.checkMonitors=true} makes such a switch throw on the
 * continuation backend); a switch out of a class initializer throws
 * {@link io.github.pyconcurrent.greenlet.GreenletError} on the continuation backend, and on the
 * virtual-thread backend when the greenlets' thread is a platform thread.
 */
package io.github.pyconcurrent.greenlet;
