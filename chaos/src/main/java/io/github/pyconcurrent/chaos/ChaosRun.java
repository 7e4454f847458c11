package io.github.pyconcurrent.chaos;

import io.github.pyconcurrent.multiprocessing.Multiprocessing;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One chaos run: starts the chosen parts, lets the {@link FaultInjector} strike them for the
 * run's duration while a watchdog looks for stuck callers and a progress line is printed every
 * {@value #PROGRESS_SECONDS} s, then stops the injector (resuming paused children), has every part
 * stop, drain and count, closes them, and runs the {@link EndChecks}.
 */
final class ChaosRun {
    static final int PROGRESS_SECONDS = 10;

    /** The outcome: a row per part plus the end checks' row, and the faults struck by kind. */
    record Result(long seed, List<PartTally> rows, Map<FaultKind, Long> faults, long longestFaultGapNanos, List<String> lastEvents, Duration elapsed) {
        boolean ok() {
            return rows.stream().allMatch(PartTally::ok);
        }

        long totalFaults() {
            return faults.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final ChaosOptions options;
    private final PrintStream out;

    ChaosRun(ChaosOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    Result run() {
        long start = System.nanoTime();
        ChaosContext ctx = new ChaosContext(options, start);
        out.printf("chaos: seed %d, %s, parts %s, stall bound %d s (replay: ./run chaos --seed %d ...)%n",
                options.seed(), format(options.duration()), options.parts(), options.stallBound().toSeconds(), options.seed());
        Multiprocessing.warmUp();
        EndChecks endChecks = EndChecks.baseline();
        List<Part> parts = new ArrayList<>();
        PartTally end = ctx.tally("end");
        FaultInjector injector = null;
        Thread watcher = null;
        CountDownLatch over = new CountDownLatch(1);
        try {
            for (String name : options.partList()) {
                parts.add(create(name, ctx));
            }
            String took = startAll(parts);
            ctx.log.add("run", "parts started: " + took);
            out.printf("parts started in %.1f s (%s); the run's %s begins now%n", (System.nanoTime() - start) / 1e9, took,
                    format(options.duration()));
            start = System.nanoTime();
            injector = new FaultInjector(ctx, parts);
            injector.start();
            watcher = Thread.ofPlatform().name("chaos-watchdog").daemon().start(() -> watch(ctx, parts, over));
            long endAt = start + options.duration().toNanos();
            long nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROGRESS_SECONDS);
            while (System.nanoTime() < endAt) {
                long wait = Math.min(endAt, nextProgress) - System.nanoTime();
                if (wait > 0 && over.await(wait, TimeUnit.NANOSECONDS)) {
                    break;
                }
                if (System.nanoTime() >= nextProgress) {
                    out.println(progress(start, injector, parts));
                    nextProgress += TimeUnit.SECONDS.toNanos(PROGRESS_SECONDS);
                }
            }
            ctx.log.add("run", "time is up: stopping the injector");
            injector.stop();
            for (Part p : parts) {
                ctx.log.add(p.name(), "stopping and counting");
                p.stopAndCheck();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end.violation("the run was interrupted");
        } finally {
            if (injector != null) {
                injector.stop();
            }
            for (Part p : parts) {
                try {
                    p.close();
                } catch (RuntimeException e) {
                    p.tally().violation("close() threw " + e);
                }
            }
            over.countDown();
            if (watcher != null) {
                try {
                    watcher.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        ctx.watchdog.scan(System.nanoTime());
        endChecks.check(end, ctx.children, options.stallBound());
        List<PartTally> rows = new ArrayList<>();
        for (Part p : parts) {
            rows.add(p.tally());
        }
        rows.add(end);
        Map<FaultKind, Long> faults = injector == null ? new EnumMap<>(FaultKind.class) : injector.struck();
        return new Result(options.seed(), rows, faults, injector == null ? 0 : injector.longestGapNanos(), ctx.log.lastEvents(), Duration.ofNanos(System.nanoTime() - start));
    }

    private static Part create(String name, ChaosContext ctx) {
        return switch (name) {
            case "pool" -> new PoolPart(ctx);
            case "dict" -> new CountersPart(ctx);
            case "queue" -> new QueuePart(ctx);
            case "server" -> new ServerPart(ctx);
            case "cluster" -> new ClusterPart(ctx);
            default -> throw new IllegalArgumentException("unknown part " + name);
        };
    }

    /**
     * Starts the parts side by side (each starts child JVMs or a cluster member: seconds each on a
     * busy machine); the first failure is rethrown once all have returned.
     */
    private static String startAll(List<Part> parts) throws InterruptedException {
        List<Thread> starters = new ArrayList<>();
        List<RuntimeException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, Double> seconds = new java.util.concurrent.ConcurrentHashMap<>();
        for (Part p : parts) {
            starters.add(Thread.ofPlatform().name("chaos-start-" + p.name()).start(() -> {
                long t0 = System.nanoTime();
                try {
                    p.start();
                } catch (RuntimeException e) {
                    failures.add(e);
                }
                seconds.put(p.name(), (System.nanoTime() - t0) / 1e9);
            }));
        }
        for (Thread t : starters) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        List<String> took = new ArrayList<>();
        for (Part p : parts) {
            took.add(String.format("%s %.1f s", p.name(), seconds.get(p.name())));
        }
        return String.join(", ", took);
    }

    /** The watchdog thread: once a second, calls open too long here and children's operations open too long. */
    private static void watch(ChaosContext ctx, List<Part> parts, CountDownLatch over) {
        try {
            while (!over.await(1, TimeUnit.SECONDS)) {
                long now = System.nanoTime();
                ctx.watchdog.scan(now);
                for (Part p : parts) {
                    p.watch(now);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String progress(long start, FaultInjector injector, List<Part> parts) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("[%s] faults %d", format(Duration.ofNanos(System.nanoTime() - start)), injector.total()));
        List<String> work = new ArrayList<>();
        for (Part p : parts) {
            work.add(p.name() + " " + p.progress());
        }
        sb.append(" | ").append(String.join(", ", work));
        int violations = parts.stream().mapToInt(p -> p.tally().violations().size()).sum();
        if (violations > 0) {
            sb.append(" | VIOLATIONS ").append(violations);
        }
        return sb.toString();
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return String.format("%d:%02d", s / 60, s % 60);
    }
}
