/**
 * Python's {@code multiprocessing} shared types, for JVMs as the processes: shared memory,
 * process-shared locks and synchronizers, and shared arrays and values.
 *
 * <h2>The design space</h2>
 * CPython shares state between processes in two ways: memory mapped by every process
 * ({@code Array}, {@code Value}, {@code shared_memory}, and the POSIX semaphores under its
 * {@code Lock}/{@code RLock}/{@code Semaphore}/{@code Event}/{@code Condition}/{@code Barrier}),
 * and a server process holding objects behind proxies ({@code Manager}). This package does the
 * first: every object lives in a file of {@code /dev/shm} that each JVM maps. (The Manager-style
 * dictionary, {@code SharedDict}, sits beside it on a Chronicle Map file.)
 *
 * <ul>
 *   <li>{@link io.github.pyconcurrent.shared.SharedMemory}: a named segment, Python's
 *       {@code SharedMemory}; also what every other object here is made of (each creates its own
 *       small segment with a generated name).</li>
 *   <li>{@link io.github.pyconcurrent.shared.Lock}, {@link io.github.pyconcurrent.shared.RLock},
 *       {@link io.github.pyconcurrent.shared.Semaphore},
 *       {@link io.github.pyconcurrent.shared.BoundedSemaphore},
 *       {@link io.github.pyconcurrent.shared.Event},
 *       {@link io.github.pyconcurrent.shared.Condition},
 *       {@link io.github.pyconcurrent.shared.Barrier}: the threading package's interfaces
 *       ({@code LockLike}, {@code SemaphoreLike}, ...) over words in shared memory. The fast path
 *       is a CAS on the mapped word; sleeping and waking is the Linux futex (shared, not private,
 *       see {@code Futex}); the words of each are described once in its {@code ...Layout}
 *       class.</li>
 *   <li>{@link io.github.pyconcurrent.shared.Array}, {@link io.github.pyconcurrent.shared.Value}:
 *       numbers with Python's type codes, and an RLock of this package as {@code getLock()}.</li>
 * </ul>
 *
 * <h2>Beyond CPython: a process that dies holding a lock</h2>
 * A CPython process killed while holding a {@code multiprocessing.Lock} leaves it locked for
 * ever (python/cpython gh-96062). Here the lock word holds its owner's pid <em>and</em> process
 * start time ({@link io.github.pyconcurrent.shared.internal.ProcessIdentity}); a waiter that has slept a
 * whole owner-check interval reads {@code /proc/PID/stat} (a zombie, a missing process or a
 * reused pid all count as dead) and takes a dead owner's lock over, which the new holder learns
 * from {@code ownerDied()} and a WARNING. Semaphore permits of a dead process are returned the same
 * way, and a {@code SharedDict} heals the same way: its per-segment locks are such locks, and the
 * process that takes one over repairs the segment and finishes the dead process's journaled
 * write, within about the same time. Tunables: {@code pyconcurrent.shared.ownerCheckMillis}, {@code pyconcurrent.shared.spins}.
 *
 * <h2>Handles</h2>
 * Every object is {@link java.io.Serializable} as a small handle (segment name, offset, type): a
 * lambda that captures an {@code Array} and runs in another JVM finds it attached to the same
 * memory. Nothing here spawns processes.
 *
 * <h2>Lifetime of the files</h2>
 * See {@link io.github.pyconcurrent.shared.internal.ShmRegistry}: the creator owns each file; it goes when
 * the owner closes it, when the object is garbage in its creator, or when the creator exits; files
 * of creators killed with {@code kill -9} are swept when the toolkit next starts.
 *
 * <h2>Platform</h2>
 * Linux (x86-64 or aarch64), for {@code /dev/shm}, futexes and {@code /proc}.
 */
package io.github.pyconcurrent.shared;
