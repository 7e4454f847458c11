package io.github.pyconcurrent.chaos;

import io.github.pyconcurrent.multiprocessing.Process;

import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * A fixed number of child JVMs of one role (writers, producers, consumers) kept running through
 * the run: a keeper thread restarts each one the injector killed, and one that ended without
 * being killed is a violation. Strikes and restarts exclude each other (this object's monitor),
 * so a kill never lands on a slot being refilled.
 */
final class Children {
    /** Starts the child for a slot, or is told (before the restart) that the slot's child ended. */
    interface Slots {
        Process launch(int slot);

        default void ended(int slot, Process dead) {
        }

        /** What the slot's child reported of its state, for a violation's message. */
        default String state(int slot) {
            return "";
        }
    }

    private final ChaosContext ctx;
    private final PartTally tally;
    private final String role;
    private final Slots slots;
    private final Process[] children;
    private final AtomicLong restarts = new AtomicLong();
    private final AtomicLong kills = new AtomicLong();
    private volatile boolean running = true;
    private Thread keeper;

    Children(ChaosContext ctx, PartTally tally, String role, int count, Slots slots) {
        this.ctx = ctx;
        this.tally = tally;
        this.role = role;
        this.slots = slots;
        this.children = new Process[count];
    }

    void start() {
        for (int i = 0; i < children.length; i++) {
            launch(i);
        }
        keeper = Thread.ofPlatform().name("chaos-keeper-" + role).daemon().start(this::keep);
    }

    private void launch(int slot) {
        Process p = slots.launch(slot);
        ctx.sawChild(p.pid());
        synchronized (this) {
            children[slot] = p;
        }
    }

    private void keep() {
        while (running) {
            for (int i = 0; i < children.length && running; i++) {
                Process p;
                synchronized (this) {
                    p = children[i];
                }
                if (p != null && p.join(Duration.ofMillis(20))) {
                    // The slot is empty while its replacement starts (seconds on a busy machine):
                    // strikes skip it rather than wait for it.
                    synchronized (this) {
                        if (!running) {
                            return;
                        }
                        children[i] = null;
                    }
                    checkEnd(p);
                    slots.ended(i, p);
                    p.close();
                    restarts.incrementAndGet();
                    ctx.log.add(tally.part, role + " " + i + " (pid " + p.pid() + ", exit " + p.exitCode() + ") ended; restarting it");
                    launch(i);
                }
            }
        }
    }

    private void checkEnd(Process p) {
        if (!ctx.killedPids.contains(p.pid()) && p.exitCode() != null && p.exitCode() != 0) {
            tally.violation(role + " pid " + p.pid() + " ended on its own, exit code " + p.exitCode());
        }
    }

    /**
     * Runs {@code strike} on a random live child not yet killed, under the monitor (no restart in
     * between); returns its description, or null when there is none.
     */
    synchronized String strike(java.util.Random random, BiFunction<Integer, Process, String> strike) {
        if (!running) {
            return null;
        }
        int slot = random.nextInt(children.length);
        Process p = children[slot];
        if (p == null || !p.isAlive() || ctx.killedPids.contains(p.pid())) {
            return null;
        }
        return strike.apply(slot, p);
    }

    /** SIGKILLs a child (recording it); whether it was there to kill. */
    boolean kill(Process p) {
        if (ctx.kill(p.pid())) {
            kills.incrementAndGet();
            return true;
        }
        return false;
    }

    synchronized List<Long> alivePids() {
        List<Long> pids = new ArrayList<>();
        for (Process p : children) {
            if (p != null && running && p.isAlive() && !ctx.killedPids.contains(p.pid())) {
                pids.add(p.pid());
            }
        }
        return pids;
    }

    /** Stops restarting; the caller then tells the children to finish and calls {@link #joinAll}. */
    void stopRestarting() {
        synchronized (this) {
            running = false;
        }
        try {
            if (keeper != null) {
                keeper.join();   // returns once a launch in progress has filled its slot
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits (up to the stall bound) for each child to end, and tells {@link Slots#ended} of each. */
    void joinAll() {
        for (int i = 0; i < children.length; i++) {
            Process p = children[i];
            if (p == null) {
                continue;
            }
            if (!p.join(ctx.options.stallBound())) {
                tally.violation(role + " pid " + p.pid() + " did not stop within " + ctx.options.stallBound().toSeconds() + " s"
                        + slots.state(i));
                for (String line : mainThreadStack(p.pid())) {
                    ctx.log.add(tally.part, "  " + line);
                }
                p.kill();
                p.join();
            } else {
                checkEnd(p);
            }
            slots.ended(i, p);
            p.close();
            children[i] = null;
        }
    }

    /** The stuck child's main thread, by jstack (bounded): what to look at when a child does not stop. */
    static List<String> mainThreadStack(long pid) {
        List<String> lines = new ArrayList<>();
        try {
            java.lang.Process jstack = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                    Long.toString(pid)).redirectErrorStream(true).start();
            List<String> out = new ArrayList<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (var r = jstack.inputReader()) {
                    r.lines().forEach(out::add);
                } catch (java.io.IOException e) {
                    // the dump is a diagnostic only
                }
            });
            if (!jstack.waitFor(20, TimeUnit.SECONDS)) {
                jstack.destroyForcibly();
                lines.add("jstack " + pid + " did not answer within 20 s");
                return lines;
            }
            reader.join();
            boolean inMain = false;
            for (String line : out) {
                if (line.startsWith("\"main\"")) {
                    inMain = true;
                } else if (inMain && line.isBlank()) {
                    break;
                }
                if (inMain && lines.size() < 30) {
                    lines.add(line.strip());
                }
            }
            if (lines.isEmpty()) {
                lines.add("jstack " + pid + ": no main thread in " + out.size() + " lines" + (out.isEmpty() ? "" : ": " + out.get(0)));
            }
        } catch (java.io.IOException e) {
            lines.add("jstack " + pid + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lines;
    }

    /** Kills whatever still runs (after a failure). */
    synchronized void killAll() {
        running = false;
        for (Process p : children) {
            if (p != null && p.isAlive()) {
                p.kill();
                p.join();
            }
        }
    }

    long restarts() {
        return restarts.get();
    }

    long kills() {
        return kills.get();
    }
}
