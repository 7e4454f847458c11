package io.github.pyconcurrent.shared;

import java.util.concurrent.TimeUnit;

/**
 * The tunables of the process-shared primitives, each a named system property with a safe
 * default, read once here.
 * <ul>
 *   <li>{@code pyconcurrent.shared.ownerCheckMillis} (default 100): how often a blocked waiter
 *       wakes to check whether the holder's process is still alive (and to notice an interrupt).
 *       A dead holder's lock is taken over within about this time.</li>
 *   <li>{@code pyconcurrent.shared.spins} (default 10): how many times a contended acquire
 *       re-checks the word (with {@link Thread#onSpinWait()}, ~0.5 us here) before sleeping on
 *       the futex. Kept short on purpose: since a sleeper costs the holder one wake call per sleep
 *       (not one per release, see {@link RobustMutex}), letting the waiter sleep leaves the holder
 *       to run a batch of critical sections on its own core's cache lines, while a long spinner
 *       keeps stealing the lock's and the data's cache lines so every acquisition crosses cores.
 *       Measured on 2 JVMs hammering one lock (TwoJvmIncrementsBenchmark, ns per increment):
 *       spins 0-10: 22-28, 20: 34, 50: 77, 200: 85-96, 1000+: ~103. Raise it for locks handed
 *       back and forth where the waiter's latency matters more than throughput.</li>
 * </ul>
 */
final class SharedTuning {
    static final long OWNER_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(
            Math.max(1, Long.getLong("pyconcurrent.shared.ownerCheckMillis", 100)));
    static final int SPINS = Math.max(0, Integer.getInteger("pyconcurrent.shared.spins", 10));

    private SharedTuning() {}
}
