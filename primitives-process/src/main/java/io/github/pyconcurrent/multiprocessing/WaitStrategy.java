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
 * <p>The waits on a {@link Queue}'s or {@link Connection}'s ring ({@link Ring#awaitData}, a writer
 * waiting for room) go through a {@link Site} instead: it spins only while spinning pays at that
 * ring, then yields and parks as above (why: see {@link Site}). So do a Pool caller's wait for
 * its answer and a worker's for its next task ({@link #poolSite()}); the Pool's result thread
 * uses {@link #POOL} as it is.
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

    /**
     * The spin of a {@link Pool}'s hand-off waits when {@link #POOL} parks ({@link #poolSite()}):
     * {@code pyconcurrent.pool.wait.adaptiveSpinMicros}, default 0 (park at once). Why off: in
     * JMH's {@code PoolBenchmark.apply} on the shared 2-core VMs (load average 18 to 24, the same
     * jar with 0 and 30 alternated, three pairs) 30 µs gave p50 38.7/28.9, 67.1/46.0 and
     * 32.1/67.2 µs against 0, a median of 1.34x; a probe with the row's definition at load 17 to
     * 20 gave 0.95x. On a machine with a free core per side it saves the two futex wakes of a
     * round trip; measure it there before turning it on.
     */
    static final long POOL_SPIN_NANOS = Math.max(0, Long.getLong("pyconcurrent.pool.wait.adaptiveSpinMicros", 0)) * 1000;

    /**
     * A {@link Site} for one of a {@link Pool}'s hand-off waits: a caller waiting for its answer
     * ({@link Pool#apply}), a worker waiting for its next task. With {@link #POOL} at {@code park}
     * (the default) the site spins up to {@link #POOL_SPIN_NANOS} while its waits end within that,
     * and parks at once (no yield phase) after a wait that had to sleep: a round trip whose two
     * sides are both on a core then costs no futex wake (two per round trip when both park: 5 to
     * 15 µs each), and on a machine busier than its cores the spin is dropped after the first
     * wait that had to sleep. Any other {@code pyconcurrent.pool.wait.strategy} is used as it is.
     */
    static Site poolSite() {
        return poolSite(POOL_SPIN_NANOS);
    }

    /** {@link #poolSite()} with a spin of {@code spinNanos}. */
    static Site poolSite(long spinNanos) {
        return new Site(POOL.kind == Kind.PARK ? new WaitStrategy(Kind.BACKOFF, spinNanos, 0) : POOL);
    }

    final Kind kind;
    final long spinNanos;
    final long yieldNanos;

    WaitStrategy(Kind kind, long spinNanos, long yieldNanos) {
        this.kind = kind;
        this.spinNanos = kind == Kind.PARK ? 0 : Math.max(0, spinNanos);
        this.yieldNanos = kind == Kind.PARK ? 0 : Math.max(0, yieldNanos);
    }

    private static WaitStrategy fromProperties() {
        Kind kind = kindNamed("pyconcurrent.wait.strategy", System.getProperty("pyconcurrent.wait.strategy", "backoff"));
        long spin = Long.getLong("pyconcurrent.wait.spinMicros", Long.getLong("pyconcurrent.queue.spinMicros", 5));
        long yield = Long.getLong("pyconcurrent.wait.yieldMicros", 100);
        return new WaitStrategy(kind, spin * 1000, yield * 1000);
    }

    /** The strategy named by {@code prefix + "strategy"} etc., else by the general properties, else {@code kind}. */
    private static WaitStrategy fromProperties(String prefix, String kind) {
        Kind k = kindNamed(prefix + "strategy",
                System.getProperty(prefix + "strategy", System.getProperty("pyconcurrent.wait.strategy", kind)));
        long spin = Long.getLong(prefix + "spinMicros", DEFAULT.spinNanos / 1000);
        long yield = Long.getLong(prefix + "yieldMicros", DEFAULT.yieldNanos / 1000);
        return new WaitStrategy(k, spin * 1000, yield * 1000);
    }

    /** The kind {@code name} says, or an error naming {@code property} and the choices. */
    private static Kind kindNamed(String property, String name) {
        try {
            return Kind.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " must be backoff, park or spin, not '" + name + "'", e);
        }
    }

    /**
     * One idle step before parking: the waiter, which started at {@code start} (a
     * {@link System#nanoTime()}) and found its condition false, may wait until {@code start + budget}
     * at most ({@code budget} negative: no limit). Spins or yields once and returns true (poll
     * again), or returns false: time to park on the futex (or to time out).
     */
    boolean idle(long start, long budget) {
        return idle(start, budget, spinNanos, spinNanos + yieldNanos);
    }

    /**
     * One step as {@link #idle(long, long)}: spin until {@code spinNanos} after {@code start}, yield
     * until {@code yieldUntil} after it (the {@link Kind#SPIN} strategy spins throughout its own
     * spin + yield budget instead).
     */
    private boolean idle(long start, long budget, long spinNanos, long yieldUntil) {
        long elapsed = System.nanoTime() - start;
        if (budget >= 0 && elapsed >= budget) {
            return false;
        }
        if (elapsed < spinNanos || (kind == Kind.SPIN && elapsed < this.spinNanos + yieldNanos)) {
            Thread.onSpinWait();
            return true;
        }
        if (elapsed < yieldUntil) {
            Thread.yield();
            return true;
        }
        return false;
    }

    /**
     * One place where threads of this JVM wait for the other side (one side of one ring): it learns
     * whether spinning pays there, as HotSpot's adaptive spinning does for monitors. Spinning pays
     * when the other process runs on another core and answers within the spin phase (a hand-off
     * of about a microsecond); it costs the whole spin phase, twice per round trip, when both
     * processes share a core (the other one cannot run while this one spins) or the answer takes
     * longer. Measured on the 2-core VMs (16-byte Pipe round trip to a child JVM, loaded machine,
     * p50): 21 µs with the 5 µs spin, 11 µs going straight to yield. So a wait that ended during its
     * spin phase keeps the full spin for the next one; a wait that needed the yield phase or the
     * futex drops it to none, and every {@value #PROBE_EVERY}th wait after that spins in full again
     * to find out whether it pays once more.
     *
     * <p>After its spin a site yields for the strategy's yield phase, then parks. Measured on
     * the loaded 2-core VMs (load average 15 to 25; alternated runs of 3 x 5,000 round trips to a
     * child JVM, int Queue and 16-byte Pipe): p50 21 µs with the fixed spin, 11 µs with the
     * learned one; the means (made by scheduling stalls at that load) 23 to 77 µs, against 78 to
     * 718 µs with the fixed spin and 117 to 346 µs when a site parked without yielding. Not
     * thread-safe on purpose: two threads of one JVM waiting at one site may mistune one wait,
     * never break one.
     */
    static final class Site {
        /** How often a site that stopped spinning tries a full spin phase again (a power of two). */
        static final int PROBE_EVERY = 32;

        private final WaitStrategy strategy;
        private long spinNanos;
        private int waits;

        Site(WaitStrategy strategy) {
            this.strategy = strategy;
            this.spinNanos = strategy.spinNanos;
        }

        /**
         * One idle step of a wait that started at {@code start} with a spin phase of {@code spun}
         * (from {@link #spinNanos()}) followed by the strategy's yield phase: spins or yields and
         * returns true (poll again), or returns false: time to park (or to time out,
         * {@code budget} as {@link WaitStrategy#idle(long, long)}).
         */
        boolean idle(long start, long budget, long spun) {
            return strategy.idle(start, budget, spun, spun + strategy.yieldNanos);
        }

        /** The spin phase of the wait that starts now. */
        long spinNanos() {
            if (spinNanos == strategy.spinNanos || (++waits & (PROBE_EVERY - 1)) != 0) {
                return spinNanos;
            }
            return strategy.spinNanos;
        }

        /** The wait that started at {@code start} with a spin phase of {@code spun} found its condition true now. */
        void ended(long start, long spun) {
            spinNanos = System.nanoTime() - start <= spun ? strategy.spinNanos : 0;
        }

        /** The wait is about to sleep on the futex (or to time out): spinning did not pay. */
        void parks() {
            spinNanos = 0;
        }
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + "(spin " + spinNanos / 1000 + " µs, yield " + yieldNanos / 1000 + " µs)";
    }
}
