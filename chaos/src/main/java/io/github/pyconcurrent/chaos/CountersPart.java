package io.github.pyconcurrent.chaos;

import io.github.pyconcurrent.multiprocessing.Process;
import io.github.pyconcurrent.shared.Array;
import io.github.pyconcurrent.shared.DictLockTimeoutException;
import io.github.pyconcurrent.shared.Lock;
import io.github.pyconcurrent.shared.Manager;
import io.github.pyconcurrent.shared.SharedDict;

import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Three child JVMs, each in a loop: {@code merge(k, 1, Integer::sum)} on one {@link SharedDict}
 * (a random key of {@value #KEYS}), then, under a process {@link Lock}, an increment of a shared
 * {@link Array} word; each acknowledges an increment in {@link WriterSlots} once it returned. The
 * injector kills a writer mid-merge (holding the key's stripe) or while it holds the Lock, and
 * pauses them; the part restarts each killed writer. At the end: the dict's sum and the Array
 * word are at least the acknowledged counts, and exceed them by at most the number of writer
 * kills, since a writer killed after its write but before its acknowledgement (or mid-merge,
 * whose write the dict's journal then finishes) leaves one increment unacknowledged.
 */
final class CountersPart implements Part {
    static final int WRITERS = 3;
    static final int KEYS = 16;
    /** How long the injector waits for a writer to be in the phase it wants to kill it in. */
    static final Duration AIM_TIMEOUT = Duration.ofMillis(300);

    private final ChaosContext ctx;
    private final PartTally tally;
    private final Manager manager = Manager.start();
    private final SharedDict<String, Integer> dict = manager.dict(String.class, Integer.class);
    private final Array counter = Array.ofSize('q', 1, false);
    private final Lock lock = new Lock();
    private final WriterSlots slots = WriterSlots.create(WRITERS);
    private final Children writers;

    CountersPart(ChaosContext ctx) {
        this.ctx = ctx;
        this.tally = ctx.tally("dict");
        this.writers = new Children(ctx, tally, "writer", WRITERS, new Children.Slots() {
            @Override
            public Process launch(int w) {
                return launchWriter(w);
            }

            @Override
            public String state(int w) {
                long began = slots.get(w, WriterSlots.OP_START);
                return String.format(" (phase %d, operation open %s)", slots.get(w, WriterSlots.PHASE),
                        began == 0 ? "none" : String.format("%.1f s", (System.nanoTime() - began) / 1e9));
            }
        });
    }

    @Override
    public String name() {
        return "dict";
    }

    @Override
    public PartTally tally() {
        return tally;
    }

    /** A writer's loop, in its child JVM. */
    static void writerLoop(int w, long seed, SharedDict<String, Integer> dict, Array counter, Lock lock, WriterSlots slots) {
        Random random = new Random(seed);
        while (!slots.stopped()) {
            String key = "k" + random.nextInt(KEYS);
            slots.set(w, WriterSlots.OP_START, System.nanoTime());
            slots.set(w, WriterSlots.PHASE, WriterSlots.MERGING);
            try {
                dict.merge(key, 1, Integer::sum);
            } catch (DictLockTimeoutException e) {
                // a live holder was paused longer than the lock timeout: nothing written, nothing acknowledged
                slots.set(w, WriterSlots.PHASE, WriterSlots.IDLE);
                slots.increment(w, WriterSlots.TIMEOUTS);
                continue;
            }
            slots.set(w, WriterSlots.PHASE, WriterSlots.IDLE);
            slots.increment(w, WriterSlots.ACK_MERGE);
            lock.acquire();
            try {
                slots.set(w, WriterSlots.PHASE, WriterSlots.HOLDING_LOCK);
                counter.setLong(0, counter.getLong(0) + 1);
                slots.increment(w, WriterSlots.ACK_ARRAY);
            } finally {
                slots.set(w, WriterSlots.PHASE, WriterSlots.IDLE);
                lock.release();
            }
            slots.set(w, WriterSlots.OP_START, 0);
        }
    }

    @Override
    public void start() {
        writers.start();
    }

    private Process launchWriter(int w) {
        slots.set(w, WriterSlots.PHASE, WriterSlots.IDLE);
        slots.set(w, WriterSlots.OP_START, 0);
        long seed = ctx.options.seed() ^ (w * 31L + writers.restarts());
        SharedDict<String, Integer> d = dict;
        Array c = counter;
        Lock l = lock;
        WriterSlots s = slots;
        Process p = new Process("dict-writer-" + w, () -> writerLoop(w, seed, d, c, l, s));
        p.start();
        return p;
    }

    @Override
    public List<FaultKind> faultKinds() {
        return List.of(FaultKind.KILL_DICT_WRITER, FaultKind.KILL_LOCK_HOLDER);
    }

    @Override
    public String strike(FaultKind kind, Random random) {
        long phase = kind == FaultKind.KILL_DICT_WRITER ? WriterSlots.MERGING : WriterSlots.HOLDING_LOCK;
        return writers.strike(random, (w, p) -> {
            // Aim: wait (spinning, bounded) until the writer is inside the phase, so the kill lands there.
            long deadline = System.nanoTime() + AIM_TIMEOUT.toNanos();
            boolean inPhase = false;
            while (System.nanoTime() < deadline && !(inPhase = slots.get(w, WriterSlots.PHASE) == phase)) {
                Thread.onSpinWait();
            }
            // Not seen there (starting, or paused): no strike, so the label stays true and a
            // writer gets to work between kills; the injector picks another fault.
            if (!inPhase || !writers.kill(p)) {
                return null;
            }
            return "SIGKILL writer " + w + " pid " + p.pid() + (phase == WriterSlots.MERGING ? " mid-merge" : " holding the Lock");
        });
    }

    @Override
    public List<Long> pausablePids() {
        return writers.alivePids();
    }

    @Override
    public void watch(long nowNanos) {
        for (int w = 0; w < WRITERS; w++) {
            long began = slots.get(w, WriterSlots.OP_START);
            if (began != 0) {
                tally.stalled(nowNanos - began, "writer " + w);
            }
        }
    }

    private long sum(int field) {
        long s = 0;
        for (int w = 0; w < WRITERS; w++) {
            s += slots.get(w, field);
        }
        return s;
    }

    @Override
    public String progress() {
        return sum(WriterSlots.ACK_MERGE) + " merges + " + sum(WriterSlots.ACK_ARRAY) + " increments";
    }

    @Override
    public void stopAndCheck() {
        writers.stopRestarting();
        slots.stop();
        writers.joinAll();
        if (ctx.options.dropOneIncrement()) {
            dict.merge("k0", -1, Integer::sum);   // the test-only broken part: one acknowledged increment vanishes
        }
        long ackMerges = sum(WriterSlots.ACK_MERGE);
        long ackIncrements = sum(WriterSlots.ACK_ARRAY);
        long dictSum = 0;
        for (Integer v : dict.values()) {
            dictSum += v;
        }
        long arrayValue = counter.getLong(0);
        long kills = writers.kills();
        long lost = Math.max(0, ackMerges - dictSum) + Math.max(0, ackIncrements - arrayValue);
        long excess = Math.max(0, dictSum - ackMerges) + Math.max(0, arrayValue - ackIncrements);
        long excessAllowed = Math.max(0, dictSum - ackMerges) <= kills && Math.max(0, arrayValue - ackIncrements) <= kills ? excess : 0;
        tally.acknowledged(ackMerges + ackIncrements);
        tally.counted(lost, 0, excess, excessAllowed);
        tally.note(String.format("dict sum %d for %d acknowledged merges, Array %d for %d acknowledged increments; %d writer kills, %d restarts, %d merge lock timeouts",
                dictSum, ackMerges, arrayValue, ackIncrements, kills, writers.restarts(), sum(WriterSlots.TIMEOUTS)));
    }

    @Override
    public void close() {
        writers.killAll();
        dict.close();
        manager.close();
    }
}
