package io.github.pyconcurrent.multiprocessing;

import java.util.concurrent.TimeUnit;

/**
 * The tunables of {@link Queue}, {@link SimpleQueue}, {@link JoinableQueue} and {@link Connection},
 * each a named system property with a safe default, read once here.
 * <ul>
 *   <li>{@code pyconcurrent.queue.ringBytes} (default 4 MiB): the byte capacity of a queue's ring
 *       in {@code /dev/shm}, rounded up to a power of two (at least 4 KiB). tmpfs allocates only
 *       the pages a ring has touched. An item larger than a quarter of it travels in pieces.</li>
 *   <li>{@code pyconcurrent.pipe.ringBytes} (default 1 MiB): the same for each direction of a
 *       {@link Pipe}.</li>
 *   <li>{@code pyconcurrent.pool.ringBytes} (default 1 MiB): the same for each of a {@link Pool}
 *       worker's two rings (tasks, results).</li>
 *   <li>how a waiting get/put/recv idles before it sleeps on the futex: {@link WaitStrategy}'s
 *       properties {@code pyconcurrent.wait.strategy}, {@code pyconcurrent.wait.spinMicros} and
 *       {@code pyconcurrent.wait.yieldMicros}.</li>
 *   <li>{@code pyconcurrent.shared.ownerCheckMillis} (default 100, shared with the process-shared
 *       locks): how often a sleeping waiter wakes to check whether the processes it waits for are
 *       alive (a pipe's other end, a queue's readers at exit) and to notice an interrupt.</li>
 *   <li>{@code pyconcurrent.pipe.handoffMillis} (default 60000): how long after a connection was
 *       serialized (to be sent to another process) a reader still waits for the copy to arrive
 *       before it may report end of stream for lack of live holders (see {@link Connection}).
 *       Generous because a child JVM may take seconds to start on a loaded machine; it only
 *       delays the end of stream of a copy that never arrives.</li>
 * </ul>
 */
final class QueueTuning {
    static final int QUEUE_RING_BYTES = ringBytes("pyconcurrent.queue.ringBytes", 4 << 20);
    static final int PIPE_RING_BYTES = ringBytes("pyconcurrent.pipe.ringBytes", 1 << 20);
    static final int POOL_RING_BYTES = ringBytes("pyconcurrent.pool.ringBytes", 1 << 20);
    static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(
            Math.max(1, Long.getLong("pyconcurrent.shared.ownerCheckMillis", 100)));
    static final long HANDOFF_MILLIS = Math.max(0, Long.getLong("pyconcurrent.pipe.handoffMillis", 60_000));

    private QueueTuning() {}

    /** A power of two in 4 KiB .. 1 GiB. */
    static int ringBytes(String property, int fallback) {
        long v = Long.getLong(property, fallback);
        v = Math.max(4096, Math.min(1L << 30, v));
        return (int) Long.highestOneBit(v - 1) << 1;
    }
}
