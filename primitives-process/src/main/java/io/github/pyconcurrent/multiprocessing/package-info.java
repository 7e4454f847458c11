/**
 * Python's {@code multiprocessing} on the JVM: every child process is a real, separate JVM.
 *
 * <h2>The design space</h2>
 * CPython starts a child by forking (or by spawning a fresh interpreter, or by asking a fork
 * server) and ships it a pickled target over a pipe. A JVM cannot fork, so here every child is a
 * JVM started with this JVM's {@code java}, class path and the toolkit's flags, and the target is
 * a {@link java.io.Serializable} lambda ({@link io.github.pyconcurrent.multiprocessing.SerializableRunnable},
 * {@link io.github.pyconcurrent.multiprocessing.SerializableCallable}, ...) shipped over a control
 * channel. Two start methods trade start-up time for freshness:
 * <ul>
 *   <li>{@code "forkserver"} (the default): spare JVMs are started ahead of time, load the
 *       toolkit's classes and wait; {@code start()} hands one the task (a few milliseconds
 *       instead of a JVM start) and a replacement is started in the background
 *       ({@code ForkServer}).</li>
 *   <li>{@code "spawn"}: a fresh JVM per process.</li>
 * </ul>
 *
 * <ul>
 *   <li>{@link io.github.pyconcurrent.multiprocessing.Process}: one child; exit codes exactly as
 *       Python's (0, 1 after an uncaught exception, n after {@code System.exit(n)}, -N after
 *       signal N).</li>
 *   <li>{@link io.github.pyconcurrent.multiprocessing.Pool}: worker JVMs running tasks, with
 *       {@link io.github.pyconcurrent.multiprocessing.AsyncResult}s and callbacks; a worker that
 *       dies fails only the task it was running
 *       ({@link io.github.pyconcurrent.multiprocessing.WorkerDiedError}).</li>
 *   <li>{@link io.github.pyconcurrent.multiprocessing.Multiprocessing}: the module functions
 *       (start method, {@code activeChildren}, {@code currentProcess}, ...).</li>
 *   <li>{@code Queue}, {@code SimpleQueue}, {@code JoinableQueue}, {@code Pipe} and
 *       {@code Connection}: messages between processes, through shared memory.</li>
 * </ul>
 * Shared state (Array, Value, process locks, Manager dicts) is in {@code io.github.pyconcurrent.shared};
 * such objects captured by a target arrive in the child attached to the same memory.
 *
 * <h2>Safety</h2>
 * <ul>
 *   <li>Only our own processes can talk to a parent: each child gets two random 32-byte secrets
 *       of its own on its stdin, a pipe only the parent holds; the control socket lives in a 0700
 *       directory, and every connection shows the child's secret (and gets the parent's) before
 *       anything else is read. Everything
 *       deserialized passes an {@link java.io.ObjectInputFilter} bounding depth, references,
 *       array lengths and size ({@code Serial}; a stricter class pattern through
 *       {@code -Dpyconcurrent.serial.filter=...}).</li>
 *   <li>No orphans: a child dies within a second of its parent, even a SIGKILLed parent
 *       ({@code PR_SET_PDEATHSIG} armed from a long-lived spawner thread, plus a watcher on the
 *       child's stdin); see {@code ChildLauncher}.</li>
 *   <li>Nothing left behind: the control directory is removed at exit (a killed parent's is
 *       swept by the next one), spares are killed at exit, and shared-memory files follow
 *       {@link io.github.pyconcurrent.shared.internal.ShmRegistry}'s rules.</li>
 * </ul>
 *
 * <h2>Tunables (system properties, read once)</h2>
 * {@code pyconcurrent.forkserver.spares} (2), {@code pyconcurrent.forkserver.preloadChronicle}
 * ({@code auto}: a spare preloads Chronicle Map once this JVM has used a {@code SharedDict}), {@code pyconcurrent.child.tuning} (the children's GC and start-up flags),
 * {@code pyconcurrent.child.options} (extra options for every child JVM),
 * {@code pyconcurrent.serial.filter}.
 *
 * <h2>Platform</h2>
 * Linux, for {@code prctl}, Unix domain sockets with {@code /proc}, and {@code /dev/shm}.
 */
package io.github.pyconcurrent.multiprocessing;
