package io.github.pyconcurrent.chaos;

import io.github.pyconcurrent.multiprocessing.Pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * A {@code Pool(4)} fed a steady stream of {@code applyAsync} tasks with callbacks (a
 * {@link TaskStream}, at most {@value #IN_FLIGHT} in flight) and a {@code map} call every second
 * or so, while its workers are killed and paused. Promises checked: every {@code applyAsync} gets
 * exactly one callback or error callback, each result is right, and every error (of a task or a
 * map) is a {@code WorkerDiedError} naming a worker the injector in fact killed.
 */
final class PoolPart implements Part {
    static final int WORKERS = 4;
    static final int IN_FLIGHT = 16;

    private final ChaosContext ctx;
    private final PartTally tally;
    private final Random random;
    private final Pool pool = new Pool(WORKERS);
    private final TaskStream tasks;
    private final AtomicLong maps = new AtomicLong();
    private final AtomicLong mapsFailedByKill = new AtomicLong();
    private volatile boolean running = true;
    private final List<Thread> threads = new ArrayList<>();

    PoolPart(ChaosContext ctx) {
        this.ctx = ctx;
        this.tally = ctx.tally("pool");
        this.random = new Random(ctx.options.seed() ^ 0x5005L);
        this.tasks = new TaskStream(ctx, tally, pool, "pool", IN_FLIGHT, ctx.options.seed() ^ 0x7A5CL);
    }

    @Override
    public String name() {
        return "pool";
    }

    @Override
    public PartTally tally() {
        return tally;
    }

    @Override
    public void start() {
        tasks.start();
        threads.add(Thread.ofPlatform().name("chaos-pool-mapper").daemon().start(this::mapLoop));
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
                if (TaskStream.explainedByKill(ctx, tally, "map", e)) {
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
        tasks.stop();
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
        tally.counted(tasks.checkLost(), 0, 0, 0);
        tally.note(String.format("%d submitted, %d failed by kills (WorkerDiedError); map: %d ok, %d failed by kills",
                tasks.submitted(), tasks.failedByKill(), maps.get(), mapsFailedByKill.get()));
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
