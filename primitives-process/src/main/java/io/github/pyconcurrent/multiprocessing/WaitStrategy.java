package io.github.pyconcurrent.multiprocessing;

import java.util.Locale;

/**
 * How a thread waits for the other side of a shared-memory ring (a {@link Queue} item, a
 * {@link Connection} message, room to write) before it goes to sleep on the ring's futex, and how
 * a caller of {@link AsyncResult#get()} looks for a Pool's result before it parks: a named,
 * swappable policy, modelled on Agrona's {@code IdleStrategy} (whose {@code BackoffIdleStrategy}
 * is the default here). Python has no counterpart: CPython's queues block in the kernel at once.
 *
 * <p>Why three phases: a hand-off between two JVMs that are both awake costs about a microsecond
 * (a cache line moves); a futex wake costs 5 to 15 µs more (a cross-CPU interrupt). So a waiter
 * first <em>spins</em> (re-checks with {@link Thread#onSpinWait()}) for a few microseconds, then
 * <em>yields</em> (re-checks after {@link Thread#yield()}, so that on a machine with fewer cores
 * than runnable threads the process it waits for gets the CPU instead of a spinner), then
 * <em>parks</em> on the futex; the writer calls the kernel to wake it only when the ring's
 * waiter count says somebody sleeps ({@link Ring#signal}). Measured on the 2-core VMs (a 16-byte
 * Pipe round trip to a child JVM, p50): spinning alone for 50 µs then parking, 119 µs (the
 * spinner steals the core the echoing child needs); parking at once, 20 µs; this backoff, see the
 * README's process rows.
 *
 * <p>The strategy and its tunables are read once per JVM from system properties (children get
 * the parent's {@code -D} options), all here:
 * <ul>
 *   <li>{@code pyconcurrent.wait.strategy}: {@code backoff} (default: spin, then yield, then
 *       park), {@code park} (sleep on the futex at once: least CPU, slowest hand-off) or
 *       {@code spin} (spin for the whole spin-and-yield budget without yielding: for machines with
 *       a core per busy process).</li>
 *   <li>{@code pyconcurrent.wait.spinMicros} (default 5; the older {@code pyconcurrent.queue.spinMicros}
 *       is read too): how long the spin phase lasts.</li>
 *   <li>{@code pyconcurrent.wait.yieldMicros} (default 100): how long the yield phase lasts.</li>
 * </ul>
 * An idle waiter sleeps after spin + yield (about 0.1 ms), so an idle reader uses no CPU.
 */
final class WaitStrategy {
    /** The names {@code pyconcurrent.wait.strategy} accepts. */
    enum Kind { BACKOFF, PARK, SPIN }

    /** This JVM's strategy. */
    static final WaitStrategy DEFAULT = fromProperties();

    /**
     * A {@link Pool}'s waits (a caller for its answer, a worker for its next task, the result
     * thread): {@code pyconcurrent.pool.wait.strategy}, {@code pyconcurrent.pool.wait.spinMicros}
     * and {@code pyconcurrent.pool.wait.yieldMicros}, each defaulting to the value of the
     * {@code pyconcurrent.wait.*} property above if that is set, else {@code park}. Why park: on
     * the shared 2-core VMs (load average 20 to 30) a Pool(2) {@code apply} round trip took
     * p50 27 µs / p99 1.1 to 1.6 ms parking at once against 27 µs / 4.3 to 4.8 ms with the
     * backoff (spin 5 µs, yield 100 µs): a thread that yields or spins keeps losing the CPU to
     * the other runnable threads, while a thread woken from the futex is scheduled promptly.
     */
    static final WaitStrategy POOL = fromProperties("pyconcurrent.pool.wait.", "park");

    final Kind kind;
    final long spinNanos;
    final long yieldNanos;

    WaitStrategy(Kind kind, long spinNanos, long yieldNanos) {
        this.kind = kind;
        this.spinNanos = kind == Kind.PARK ? 0 : Math.max(0, spinNanos);
        this.yieldNanos = kind == Kind.PARK ? 0 : Math.max(0, yieldNanos);
    }

    private static WaitStrategy fromProperties() {
        String name = System.getProperty("pyconcurrent.wait.strategy", "backoff").trim().toUpperCase(Locale.ROOT);
        Kind kind;
        try {
            kind = Kind.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pyconcurrent.wait.strategy must be backoff, park or spin, not '"
                    + System.getProperty("pyconcurrent.wait.strategy") + "'", e);
        }
        long spin = Long.getLong("pyconcurrent.wait.spinMicros", Long.getLong("pyconcurrent.queue.spinMicros", 5));
        long yield = Long.getLong("pyconcurrent.wait.yieldMicros", 100);
        return new WaitStrategy(kind, spin * 1000, yield * 1000);
    }

    /** The strategy named by {@code prefix + "strategy"} etc., else by the general properties, else {@code kind}. */
    private static WaitStrategy fromProperties(String prefix, String kind) {
        String name = System.getProperty(prefix + "strategy", System.getProperty("pyconcurrent.wait.strategy", kind));
        Kind k;
        try {
            k = Kind.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + "strategy must be backoff, park or spin, not '" + name + "'", e);
        }
        long spin = Long.getLong(prefix + "spinMicros", DEFAULT.spinNanos / 1000);
        long yield = Long.getLong(prefix + "yieldMicros", DEFAULT.yieldNanos / 1000);
        return new WaitStrategy(k, spin * 1000, yield * 1000);
    }

    /**
     * One idle step before parking: the waiter, which started at {@code start} (a
     * {@link System#nanoTime()}) and found its condition false, may wait until {@code start + budget}
     * at most ({@code budget} negative: no limit). Spins or yields once and returns true (poll
     * again), or returns false: time to park on the futex (or to time out).
     */
    boolean idle(long start, long budget) {
        long elapsed = System.nanoTime() - start;
        if (budget >= 0 && elapsed >= budget) {
            return false;
        }
        if (elapsed < spinNanos || (kind == Kind.SPIN && elapsed < spinNanos + yieldNanos)) {
            Thread.onSpinWait();
            return true;
        }
        if (elapsed < spinNanos + yieldNanos) {
            Thread.yield();
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + "(spin " + spinNanos / 1000 + " µs, yield " + yieldNanos / 1000 + " µs)";
    }
}
