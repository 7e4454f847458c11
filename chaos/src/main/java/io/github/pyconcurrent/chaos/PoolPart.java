package io.github.pyconcurrent.chaos;

import io.github.pyconcurrent.multiprocessing.Pool;
import io.github.pyconcurrent.multiprocessing.WorkerDiedError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * A {@code Pool(4)} fed a steady stream of {@code applyAsync} tasks with callbacks (at most
 * {@value #IN_FLIGHT} in flight) and a {@code map} call every second or so, while its workers are
 * killed and paused. Promises checked: every {@code applyAsync} gets exactly one callback or error
 * callback, each result is right, and every error (of a task or a map) is a
 * {@link WorkerDiedError} naming a worker the injector in fact killed.
 */
final class PoolPart implements Part {
    static final int WORKERS = 4;
    static final int IN_FLIGHT = 16;
    private static final System.Logger LOG = System.getLogger(PoolPart.class.getName());

    private final ChaosContext ctx;
    private final PartTally tally;
    private final Random random;
    private final Pool pool = new Pool(WORKERS);
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    /** Task id -> its watchdog ticket, until its one callback arrives. */
    private final Map<Long, Long> pending = new ConcurrentHashMap<>();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong failedByKill = new AtomicLong();
    private final AtomicLong maps = new AtomicLong();
    private final AtomicLong mapsFailedByKill = new AtomicLong();
    private volatile boolean running = true;
    private final List<Thread> threads = new ArrayList<>();

    PoolPart(ChaosContext ctx) {
        this.ctx = ctx;
        this.tally = ctx.tally("pool");
        this.random = new Random(ctx.options.seed() ^ 0x5005L);
    }

    @Override
    public String name() {
        return "pool";
    }

    @Override
    public PartTally tally() {
        return tally;
    }

    /** The task: a few milliseconds of work in the worker, so kills land mid-task. */
    static long work(long id, int millis) throws InterruptedException {
        Thread.sleep(millis);
        return id * 7 + 1;
    }

    @Override
    public void start() {
        threads.add(Thread.ofPlatform().name("chaos-pool-submitter").daemon().start(this::submitLoop));
        threads.add(Thread.ofPlatform().name("chaos-pool-mapper").daemon().start(this::mapLoop));
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
                pending.put(taskId, ctx.watchdog.begin(tally, "applyAsync task " + taskId));
                submitted.incrementAndGet();
                pool.applyAsync(() -> work(taskId, millis), r -> onResult(taskId, r), e -> onError(taskId, e));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            tally.violation("applyAsync threw " + e);
        }
    }

    private void onResult(long id, Long result) {
        if (!closeTask(id, "callback")) {
            return;
        }
        if (result == null || result != id * 7 + 1) {
            tally.violation("task " + id + " returned " + result + ", not " + (id * 7 + 1));
        } else {
            tally.acknowledged(1);
        }
    }

    private void onError(long id, Throwable e) {
        if (!closeTask(id, "error callback")) {
            return;
        }
        if (checkKilled("task " + id, e)) {
            failedByKill.incrementAndGet();
        }
    }

    private boolean closeTask(long id, String which) {
        Long ticket = pending.remove(id);
        if (ticket == null) {
            tally.violation("task " + id + " got a second callback (" + which + ")");
            return false;
        }
        ctx.watchdog.end(ticket);
        inFlight.release();
        return true;
    }

    /** Whether {@code e} is a WorkerDiedError of a worker the injector killed; a violation otherwise. */
    private boolean checkKilled(String what, Throwable e) {
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

    private void mapLoop() {
        List<Integer> input = IntStream.range(0, 8).boxed().toList();
        while (running) {
            long ticket = ctx.watchdog.begin(tally, "map");
            try {
                List<Integer> out = pool.map(x -> x * 2, input);
                if (!out.equals(input.stream().map(x -> x * 2).toList())) {
                    tally.violation("map returned " + out);
                } else {
                    maps.incrementAndGet();
                }
            } catch (RuntimeException e) {
                if (checkKilled("map", e)) {
                    mapsFailedByKill.incrementAndGet();
                }
            } finally {
                ctx.watchdog.end(ticket);
            }
            try {
                Thread.sleep(500 + random.nextInt(1000));   // a pacing gap, not a wait for readiness
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public List<FaultKind> faultKinds() {
        return List.of(FaultKind.KILL_POOL_WORKER);
    }

    private List<Long> workers() {
        List<Long> pids = new ArrayList<>();
        for (Long pid : pool.workerPids()) {
            if (pid != null && pid > 0) {
                pids.add(pid);
                ctx.sawChild(pid);
            }
        }
        return pids;
    }

    @Override
    public String strike(FaultKind kind, Random random) {
        List<Long> pids = workers();
        pids.removeAll(ctx.killedPids);
        if (pids.isEmpty()) {
            return null;
        }
        long pid = pids.get(random.nextInt(pids.size()));
        return ctx.kill(pid) ? "SIGKILL worker pid " + pid : null;
    }

    @Override
    public List<Long> pausablePids() {
        List<Long> pids = workers();
        pids.removeAll(ctx.killedPids);
        return pids;
    }

    @Override
    public String progress() {
        return tally.acknowledged() + " tasks";
    }

    @Override
    public void stopAndCheck() {
        running = false;
        for (Thread t : threads) {
            joinBounded(t);
        }
        workers();
        long ticket = ctx.watchdog.begin(tally, "pool.close()");
        Thread closer = Thread.ofPlatform().name("chaos-pool-close").daemon().start(pool::close);
        joinBounded(closer);
        ctx.watchdog.end(ticket);
        if (closer.isAlive()) {
            tally.violation("pool.close() did not return within " + ctx.options.stallBound().toSeconds() + " s");
        }
        long lost = pending.size();
        if (lost > 0) {
            tally.violation(lost + " applyAsync tasks never got a callback, e.g. " + pending.keySet().stream().limit(5).toList());
        }
        tally.counted(lost, 0, 0, 0);
        tally.note(String.format("%d submitted, %d failed by kills (WorkerDiedError); map: %d ok, %d failed by kills",
                submitted.get(), failedByKill.get(), maps.get(), mapsFailedByKill.get()));
    }

    private void joinBounded(Thread t) {
        try {
            t.join(ctx.options.stallBound().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        pool.terminate();
        pool.join();
    }
}
