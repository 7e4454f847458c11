/**
 * Python's {@code threading} module on the JVM: {@link io.github.pyconcurrent.threading.Thread},
 * {@link io.github.pyconcurrent.threading.Lock}, {@link io.github.pyconcurrent.threading.RLock},
 * {@link io.github.pyconcurrent.threading.Condition},
 * {@link io.github.pyconcurrent.threading.Semaphore},
 * {@link io.github.pyconcurrent.threading.BoundedSemaphore},
 * {@link io.github.pyconcurrent.threading.Event}, {@link io.github.pyconcurrent.threading.Timer},
 * {@link io.github.pyconcurrent.threading.Barrier}, {@link io.github.pyconcurrent.threading.Local}
 * and the module functions in {@link io.github.pyconcurrent.threading.Threading}.
 *
 * <h2>Why another set of locks</h2>
 * {@code java.util.concurrent} already has locks, semaphores and barriers; what it does not have
 * is Python's <em>contract</em>. A Python {@code Lock} has no owner, so one thread may acquire it
 * and another release it; a {@code Condition} may sit on a plain lock or a re-entrant one, and
 * {@code wait_for} returns the predicate's value; an {@code Event} waiter wakes even if the flag
 * was cleared again before it ran; a {@code Thread} inherits its creator's daemon flag and hands
 * uncaught exceptions to {@code threading.excepthook}. Code ported from Python, and programmers
 * thinking in Python, rely on those rules. This package keeps them, names things as Python does
 * (in camelCase), and is as fast as the JDK's own primitives: each class is a thin public shell
 * over one private {@link java.util.concurrent.locks.AbstractQueuedSynchronizer}, whose
 * uncontended path is one CAS.
 *
 * <h2>Shape of the API</h2>
 * <ul>
 *   <li>{@code with lock:} is {@code try (var held = lock.hold()) { ... }}: every lock-like type
 *       has {@link io.github.pyconcurrent.threading.Acquirable#hold() hold()}, returning a
 *       {@link io.github.pyconcurrent.threading.Held} whose {@code close()} releases.</li>
 *   <li>Timeouts are {@link java.time.Duration}s; the overload without one waits forever;
 *       {@code null} is Python's {@code None} (forever). A negative duration means "forever"
 *       for {@code acquire} (Python's {@code timeout=-1}) and "do not wait" for
 *       {@code waitFor}/{@code join} (as Python treats a negative wait).</li>
 *   <li>Python's exceptions map to unchecked ones: {@code RuntimeError} to
 *       {@link java.lang.IllegalStateException}, {@code ValueError} to
 *       {@link java.lang.IllegalArgumentException},
 *       {@link io.github.pyconcurrent.threading.BrokenBarrierError} keeps its name.</li>
 *   <li>Java can interrupt a thread, Python cannot: no method declares
 *       {@code InterruptedException}; a thread interrupted while blocked gets
 *       {@link io.github.pyconcurrent.threading.UncheckedInterruptedException} with its interrupt
 *       flag restored. Interrupts are never swallowed.</li>
 *   <li>{@code wait}, {@code notify} and {@code notify_all} are {@code waitFor},
 *       {@code notifyOne}/{@code notify(n)} and {@code notifyAllWaiters}, because
 *       {@code java.lang.Object} owns the Python names.</li>
 * </ul>
 *
 * <h2>One contract, two implementations</h2>
 * The interfaces {@link io.github.pyconcurrent.threading.LockLike},
 * {@link io.github.pyconcurrent.threading.SemaphoreLike},
 * {@link io.github.pyconcurrent.threading.EventLike},
 * {@link io.github.pyconcurrent.threading.ConditionLike} and
 * {@link io.github.pyconcurrent.threading.BarrierLike} are implemented both here and by the
 * process-shared primitives of {@code io.github.pyconcurrent.shared}, and one abstract test suite
 * per primitive (shaped like CPython's {@code lock_tests.py}) runs against both.
 * A {@code Condition} fully releases and restores this package's {@code Lock} and {@code RLock}
 * through their package-private hooks (CPython's {@code _release_save} /
 * {@code _acquire_restore} / {@code _is_owned}), which are not part of their API.
 *
 * <h2>Threads</h2>
 * A {@link io.github.pyconcurrent.threading.Thread} wraps a platform
 * {@link java.lang.Thread}: the JVM, like CPython at shutdown, waits for non-daemon threads when
 * {@code main} returns. {@link io.github.pyconcurrent.threading.Threading#enumerate()} lists the
 * threads of this package while they run, the main thread, and a "dummy" entry for each foreign
 * Java thread that asked for {@code currentThread()} — held only as long as that thread lives.
 */
package io.github.pyconcurrent.threading;
