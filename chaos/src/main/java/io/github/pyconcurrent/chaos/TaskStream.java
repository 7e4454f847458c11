package io.github.pyconcurrent.chaos;

import io.github.pyconcurrent.multiprocessing.PoolLike;
import io.github.pyconcurrent.multiprocessing.WorkerDiedError;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady stream of {@code applyAsync} tasks with callbacks into a pool (the local {@code Pool}
 * or a {@code ClusterPool}: any {@link PoolLike}), at most {@code inFlight} at once, each a few
 * milliseconds of work so kills land mid-task. Promises checked: every task gets exactly one
 * callback or error callback, each result is right, and every error is a {@link WorkerDiedError}
 * naming a process the injector in fact killed.
 */
final class TaskStream {
    private static final System.Logger LOG = System.getLogger(TaskStream.class.getName());

    private final ChaosContext ctx;
    private final PartTally tally;
    private final PoolLike pool;
    private final String what;
    private final Random random;
    private final Semaphore inFlight;
    /** Task id -> its watchdog ticket, until its one callback arrives. */
    private final Map<Long, Long> pending = new ConcurrentHashMap<>();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong failedByKill = new AtomicLong();
    private volatile boolean running = true;
    private Thread submitter;

    TaskStream(ChaosContext ctx, PartTally tally, PoolLike pool, String what, int inFlight, long seed) {
        this.ctx = ctx;
        this.tally = tally;
        this.pool = pool;
        this.what = what;
        this.inFlight = new Semaphore(inFlight);
        this.random = new Random(seed);
    }

    /** The task: a few milliseconds of work where the pool runs it. */
    static long work(long id, int millis) throws InterruptedException {
        Thread.sleep(millis);
        return id * 7 + 1;
    }

    void start() {
        submitter = Thread.ofPlatform().name("chaos-" + what + "-submitter").daemon().start(this::submitLoop);
    }

    private void submitLoop() {
        long id = 0;
        try {
            while (running) {
                if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                long taskId = ++id;
                int millis = 1 + random.nextInt(10);
                pending.put(taskId, ctx.watchdog.begin(tally, what + " applyAsync task " + taskId));
                submitted.incrementAndGet();
                pool.applyAsync(() -> work(taskId, millis), r -> onResult(taskId, r), e -> onError(taskId, e));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            tally.violation(what + " applyAsync threw " + e);
        }
    }

    private void onResult(long id, Long result) {
        if (!closeTask(id, "callback")) {
            return;
        }
        if (result == null || result != id * 7 + 1) {
            tally.violation(what + " task " + id + " returned " + result + ", not " + (id * 7 + 1));
        } else {
            tally.acknowledged(1);
        }
    }

    private void onError(long id, Throwable e) {
        if (!closeTask(id, "error callback")) {
            return;
        }
        if (explainedByKill(ctx, tally, what + " task " + id, e)) {
            failedByKill.incrementAndGet();
        }
    }

    private boolean closeTask(long id, String which) {
        Long ticket = pending.remove(id);
        if (ticket == null) {
            tally.violation(what + " task " + id + " got a second callback (" + which + ")");
            return false;
        }
        ctx.watchdog.end(ticket);
        inFlight.release();
        return true;
    }

    /** Whether {@code e} is a WorkerDiedError of a process the injector killed; a violation otherwise. */
    static boolean explainedByKill(ChaosContext ctx, PartTally tally, String what, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof WorkerDiedError died) {
                if (ctx.killedPids.contains(died.pid())) {
                    return true;
                }
                tally.violation(what + " failed with a WorkerDiedError of pid " + died.pid() + ", which was not killed: " + died.getMessage());
                return false;
            }
        }
        tally.violation(what + " failed with " + e);
        LOG.log(System.Logger.Level.WARNING, what + " failed", e);
        return false;
    }

    /** Stops submitting (the caller then closes the pool, which waits for the tasks in flight). */
    void stop() {
        running = false;
        try {
            submitter.join(ctx.options.stallBound().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** After the pool closed: every task still without a callback is lost. */
    long checkLost() {
        long lost = pending.size();
        if (lost > 0) {
            tally.violation(lost + " " + what + " applyAsync tasks never got a callback, e.g. " + pending.keySet().stream().limit(5).toList());
        }
        return lost;
    }

    long submitted() {
        return submitted.get();
    }

    long failedByKill() {
        return failedByKill.get();
    }
}
