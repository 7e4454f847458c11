package io.github.pyconcurrent.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Strikes the parts at random, from one {@link Random} seeded with the run's seed: which kind,
 * which part and when (the pids differ from run to run, the schedule does not). A strike comes
 * every 0.3 to 1.2 s (when a strike finds no target ready, the next kind is tried at once), so at least one fault every 2 s on a machine that keeps up; every kind the parts offer is struck once in
 * a shuffled first round, then kinds are drawn at random. A paused child gets SIGCONT after 1 to
 * 5 s, and every paused child is resumed when the injector stops.
 */
final class FaultInjector {
    private static final System.Logger LOG = System.getLogger(FaultInjector.class.getName());
    static final int MIN_GAP_MILLIS = 300;
    static final int MAX_GAP_MILLIS = 1200;

    private final ChaosContext ctx;
    private final List<Part> parts;
    private final Random random;
    private final Map<Long, Part> paused = new ConcurrentHashMap<>();
    private final Map<FaultKind, Long> struck = Collections.synchronizedMap(new EnumMap<>(FaultKind.class));
    private final CountDownLatch stop = new CountDownLatch(1);
    private final ScheduledExecutorService resumer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chaos-resumer");
        t.setDaemon(true);
        return t;
    });
    private final Thread thread;
    private final List<FaultKind> firstRound = new ArrayList<>();
    private volatile long lastStrikeNanos;
    private volatile long longestGapNanos;

    FaultInjector(ChaosContext ctx, List<Part> parts) {
        this.ctx = ctx;
        this.parts = parts;
        this.random = new Random(ctx.options.seed());
        firstRound.addAll(allKinds());
        Collections.shuffle(firstRound, random);
        this.thread = new Thread(this::loop, "chaos-injector");
        thread.setDaemon(true);
    }

    void start() {
        lastStrikeNanos = System.nanoTime();
        thread.start();
    }

    /** Stops striking, then resumes every paused child. */
    void stop() {
        stop.countDown();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        resumer.shutdownNow();
        try {
            resumer.awaitTermination(30, TimeUnit.SECONDS);   // a resume in progress finishes first
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Long pid : List.copyOf(paused.keySet())) {
            resume(pid);
        }
    }

    /** Faults struck so far by kind. */
    Map<FaultKind, Long> struck() {
        synchronized (struck) {
            Map<FaultKind, Long> copy = new EnumMap<>(FaultKind.class);
            copy.putAll(struck);
            return copy;
        }
    }

    /** The longest time between two strikes (the first counted from the start). */
    long longestGapNanos() {
        return longestGapNanos;
    }

    long total() {
        synchronized (struck) {
            return struck.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private void loop() {
        try {
            while (!stop.await(MIN_GAP_MILLIS + random.nextInt(MAX_GAP_MILLIS - MIN_GAP_MILLIS + 1), TimeUnit.MILLISECONDS)) {
                strikeOnce();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "the fault injector failed", e);
            ctx.log.add("injector", "FAILED: " + e);
            throw e;
        }
    }

    private void strikeOnce() {
        // The first round covers every kind; a kind with no target now stays for the next try.
        List<FaultKind> order = new ArrayList<>();
        if (!firstRound.isEmpty()) {
            order.add(firstRound.get(0));
        }
        List<FaultKind> all = allKinds();
        Collections.shuffle(all, random);
        order.addAll(all);
        for (FaultKind kind : order) {
            if (strike(kind)) {
                firstRound.remove(kind);
                struck.merge(kind, 1L, Long::sum);
                long now = System.nanoTime();
                longestGapNanos = Math.max(longestGapNanos, now - lastStrikeNanos);
                lastStrikeNanos = now;
                return;
            }
        }
    }

    private List<FaultKind> allKinds() {
        List<FaultKind> kinds = new ArrayList<>();
        for (Part p : parts) {
            for (FaultKind k : p.faultKinds()) {
                if (!kinds.contains(k)) {
                    kinds.add(k);
                }
            }
        }
        kinds.add(FaultKind.PAUSE);
        kinds.retainAll(ctx.options.faultKinds());
        return kinds;
    }

    private boolean strike(FaultKind kind) {
        if (kind == FaultKind.PAUSE) {
            return pauseOne();
        }
        List<Part> offering = new ArrayList<>();
        for (Part p : parts) {
            if (p.faultKinds().contains(kind)) {
                offering.add(p);
            }
        }
        if (offering.isEmpty()) {
            return false;
        }
        Part part = offering.get(random.nextInt(offering.size()));
        String what = part.strike(kind, random);
        if (what == null) {
            return false;
        }
        part.tally().fault(kind);
        ctx.log.add(part.name(), kind.label + ": " + what);
        return true;
    }

    private boolean pauseOne() {
        List<Part> withChildren = new ArrayList<>();
        for (Part p : parts) {
            if (!p.pausablePids().isEmpty()) {
                withChildren.add(p);
            }
        }
        if (withChildren.isEmpty()) {
            return false;
        }
        Part part = withChildren.get(random.nextInt(withChildren.size()));
        List<Long> pids = new ArrayList<>(part.pausablePids());
        pids.removeAll(paused.keySet());
        if (pids.isEmpty()) {
            return false;
        }
        long pid = pids.get(random.nextInt(pids.size()));
        int millis = 1000 + random.nextInt(4001);
        if (paused.putIfAbsent(pid, part) != null) {
            return false;   // paused already: it is not ours to forget (its resume is scheduled)
        }
        if (!Signals.stop(pid)) {
            paused.remove(pid, part);
            return false;
        }
        part.tally().fault(FaultKind.PAUSE);
        ctx.log.add(part.name(), "SIGSTOP pid " + pid + " for " + millis + " ms");
        // A platform thread, not a virtual one: a resume must not wait for a carrier that the
        // workload's virtual threads may all be holding (seen: SIGCONT never sent, writers wedged).
        resumer.schedule(() -> resume(pid), millis, TimeUnit.MILLISECONDS);
        return true;
    }

    private void resume(long pid) {
        Part part = paused.remove(pid);
        if (part != null) {
            boolean sent = Signals.cont(pid);
            ctx.log.add(part.name(), "SIGCONT pid " + pid + (sent ? "" : " (gone)"));
        }
    }
}
