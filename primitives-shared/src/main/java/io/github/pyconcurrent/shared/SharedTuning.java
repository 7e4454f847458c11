package io.github.pyconcurrent.shared;

import java.util.concurrent.TimeUnit;

/**
 * The tunables of the process-shared primitives, each a named system property with a safe
 * default, read once here.
 * <ul>
 *   <li>{@code pyconcurrent.shared.ownerCheckMillis} (default 100): how often a blocked waiter
 *       wakes to check whether the holder's process is still alive (and to notice an interrupt).
 *       A dead holder's lock is taken over within about this time.</li>
 *   <li>{@code pyconcurrent.shared.spins} (default 200): how many times a contended acquire
 *       re-checks the word (with {@link Thread#onSpinWait()}) before sleeping on the futex; a
 *       short critical section in another process usually ends within it, and a sleep/wake costs
 *       tens of microseconds.</li>
 * </ul>
 */
final class SharedTuning {
    static final long OWNER_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(
            Math.max(1, Long.getLong("pyconcurrent.shared.ownerCheckMillis", 100)));
    static final int SPINS = Math.max(0, Integer.getInteger("pyconcurrent.shared.spins", 200));

    private SharedTuning() {}
}
