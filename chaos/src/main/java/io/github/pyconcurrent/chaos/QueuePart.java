package io.github.pyconcurrent.chaos;

import io.github.pyconcurrent.multiprocessing.Connection;
import io.github.pyconcurrent.multiprocessing.JoinableQueue;
import io.github.pyconcurrent.multiprocessing.Pipe;
import io.github.pyconcurrent.multiprocessing.Process;
import io.github.pyconcurrent.multiprocessing.Queue;
import io.github.pyconcurrent.shared.Array;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two lines, each a producer child JVM, a bounded queue and a consumer child JVM that forwards
 * every item it gets to this JVM over its own {@link Pipe}: line 0 on a {@link Queue}, line 1 on
 * a {@link JoinableQueue} (its consumer also calls {@code taskDone}). Items are unique ids,
 * {@code generation << 32 | sequence}: each producer start gets a fresh generation, and counts
 * in shared memory how many of its puts returned. Promises checked: every item a consumer
 * forwarded was put exactly once (no duplicate, none beyond what its producer put), and of the
 * items whose put returned, at most one per consumer kill is missing (the item in the killed
 * consumer's hands).
 */
final class QueuePart implements Part {
    static final int MAXSIZE = 256;
    static final long SENTINEL = -1L;
    static final Duration POLL = Duration.ofMillis(200);
    /** Per line: the producer's generation, its acknowledged puts, the start of its open put (0: none). */
    static final int GEN = 0;
    static final int ACKED = 1;
    static final int OP_START = 2;
    static final int STOP_WORD = 6;

    private final ChaosContext ctx;
    private final PartTally tally;
    private final Queue<Long> queue = new Queue<>(MAXSIZE);
    private final JoinableQueue<Long> joinable = new JoinableQueue<>(MAXSIZE);
    private final Pipe[] pipes = {Pipe.open(false), Pipe.open(false)};
    private final Array words = Array.ofSize('q', 7, false);
    private final AtomicInteger generations = new AtomicInteger();
    /** Per line: generation -> how many of its puts returned (final once the producer ended). */
    private final List<Map<Integer, Long>> acked = List.of(new HashMap<>(), new HashMap<>());
    /** Per line: generation -> the sequences forwarded to this JVM. */
    private final List<Map<Integer, BitSet>> received = List.of(new HashMap<>(), new HashMap<>());
    private final AtomicLong[] forwarded = {new AtomicLong(), new AtomicLong()};
    private final AtomicLong duplicates = new AtomicLong();
    private final CountDownLatch[] drained = {new CountDownLatch(1), new CountDownLatch(1)};
    private final Children producers;
    private final Children consumers;
    private final List<Thread> readers = new ArrayList<>();

    QueuePart(ChaosContext ctx) {
        this.ctx = ctx;
        this.tally = ctx.tally("queue");
        this.producers = new Children(ctx, tally, "producer", 2, new Children.Slots() {
            @Override
            public Process launch(int line) {
                return launchProducer(line);
            }

            @Override
            public void ended(int line, Process dead) {
                synchronized (acked) {
                    acked.get(line).put((int) words.getLong(line * 3 + GEN), words.getLong(line * 3 + ACKED));
                }
            }
        });
        this.consumers = new Children(ctx, tally, "consumer", 2, this::launchConsumer);
    }

    @Override
    public String name() {
        return "queue";
    }

    @Override
    public PartTally tally() {
        return tally;
    }

    private Queue<Long> queueOf(int line) {
        return line == 0 ? queue : joinable;
    }

    /** A producer's loop, in its child JVM: puts gen << 32 | seq, counting each put that returned. */
    static void produce(Queue<Long> q, Array words, int line) {
        long gen = words.getLong(line * 3 + GEN);
        for (long seq = 0; words.getLong(STOP_WORD) == 0; ) {
            words.setLong(line * 3 + OP_START, System.nanoTime());
            try {
                q.put(gen << 32 | seq, POLL);
            } catch (Queue.Full e) {
                continue;   // the consumer is slow or paused: try again (and look at the stop word)
            }
            seq++;
            words.setLong(line * 3 + ACKED, seq);
            words.setLong(line * 3 + OP_START, 0);
        }
        words.setLong(line * 3 + OP_START, 0);
    }

    /** A consumer's loop, in its child JVM: forwards every item to the parent until the sentinel. */
    static void consume(Queue<Long> q, Connection toParent) {
        while (true) {
            Long item = q.get();
            toParent.send(item);
            if (q instanceof JoinableQueue<Long> jq) {
                jq.taskDone();
            }
            if (item == SENTINEL) {
                return;
            }
        }
    }

    private Process launchProducer(int line) {
        words.setLong(line * 3 + GEN, generations.incrementAndGet());
        words.setLong(line * 3 + ACKED, 0);
        words.setLong(line * 3 + OP_START, 0);
        Queue<Long> q = queueOf(line);
        Array w = words;
        Process p = new Process("producer-" + line, () -> produce(q, w, line));
        p.start();
        return p;
    }

    private Process launchConsumer(int line) {
        Queue<Long> q = queueOf(line);
        Connection toParent = pipes[line].right();
        Process p = new Process("consumer-" + line, () -> consume(q, toParent));
        p.start();
        return p;
    }

    @Override
    public void start() {
        for (int line = 0; line < 2; line++) {
            int l = line;
            readers.add(Thread.ofPlatform().name("chaos-queue-reader-" + line).daemon().start(() -> read(l)));
        }
        producers.start();
        consumers.start();
    }

    /** Receives what a line's consumers forward, until the sentinel. */
    private void read(int line) {
        Connection in = pipes[line].left();
        try {
            while (true) {
                if (!in.poll(POLL)) {
                    continue;
                }
                long id = (Long) in.recv();
                if (id == SENTINEL) {
                    drained[line].countDown();
                    return;
                }
                int gen = (int) (id >>> 32);
                int seq = (int) id;
                boolean duplicate;
                synchronized (received) {
                    BitSet bits = received.get(line).computeIfAbsent(gen, g -> new BitSet());
                    duplicate = bits.get(seq);
                    bits.set(seq);
                }
                if (duplicate) {
                    duplicates.incrementAndGet();
                    tally.violation("line " + line + ": item " + gen + ":" + seq + " received twice");
                } else {
                    forwarded[line].incrementAndGet();
                    tally.acknowledged(1);
                }
            }
        } catch (RuntimeException e) {
            tally.violation("line " + line + ": reading the consumers' pipe failed: " + e);
        }
    }

    @Override
    public List<FaultKind> faultKinds() {
        return List.of(FaultKind.KILL_QUEUE_PRODUCER, FaultKind.KILL_QUEUE_CONSUMER);
    }

    @Override
    public String strike(FaultKind kind, Random random) {
        Children role = kind == FaultKind.KILL_QUEUE_PRODUCER ? producers : consumers;
        String what = kind == FaultKind.KILL_QUEUE_PRODUCER ? "producer" : "consumer";
        return role.strike(random, (line, p) -> role.kill(p) ? "SIGKILL " + what + " of line " + line + " pid " + p.pid() : null);
    }

    @Override
    public List<Long> pausablePids() {
        List<Long> pids = new ArrayList<>(producers.alivePids());
        pids.addAll(consumers.alivePids());
        return pids;
    }

    @Override
    public void watch(long nowNanos) {
        for (int line = 0; line < 2; line++) {
            long began = words.getLong(line * 3 + OP_START);
            if (began != 0) {
                tally.stalled(nowNanos - began, "producer of line " + line);
            }
        }
    }

    @Override
    public String progress() {
        return forwarded[0].get() + "+" + forwarded[1].get() + " items";
    }

    @Override
    public void stopAndCheck() {
        producers.stopRestarting();
        consumers.stopRestarting();
        words.setLong(STOP_WORD, 1);
        producers.joinAll();
        // The consumers drain both queues up to the sentinel, forward it, and end.
        long ticket = ctx.watchdog.begin(tally, "draining the queues");
        for (int line = 0; line < 2; line++) {
            queueOf(line).put(SENTINEL);
        }
        for (int line = 0; line < 2; line++) {
            try {
                if (!drained[line].await(ctx.options.stallBound().toSeconds(), TimeUnit.SECONDS)) {
                    tally.violation("line " + line + ": the consumer did not drain the queue within the bound");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ctx.watchdog.end(ticket);
        consumers.joinAll();
        long lost = 0;
        long put = 0;
        List<String> lines = new ArrayList<>();
        synchronized (acked) {
            synchronized (received) {
                for (int line = 0; line < 2; line++) {
                    long lineLost = 0;
                    for (Map.Entry<Integer, Long> e : acked.get(line).entrySet()) {
                        BitSet bits = received.get(line).getOrDefault(e.getKey(), new BitSet());
                        long n = e.getValue();
                        put += n;
                        lineLost += n - bits.get(0, (int) n).cardinality();
                        // sequence n may have been put by a producer killed before it counted it; beyond that, nothing
                        if (bits.length() > n + 1) {
                            tally.violation("line " + line + ": item " + e.getKey() + ":" + (bits.length() - 1)
                                    + " received, but its producer put only " + n);
                        }
                    }
                    for (Integer gen : received.get(line).keySet()) {
                        if (!acked.get(line).containsKey(gen)) {
                            tally.violation("line " + line + ": items of generation " + gen + ", which no producer had");
                        }
                    }
                    lost += lineLost;
                    lines.add((line == 0 ? "Queue" : "JoinableQueue") + " " + forwarded[line].get() + " forwarded, " + lineLost + " missing");
                }
            }
        }
        tally.counted(lost, consumers.kills(), duplicates.get(), 0);
        tally.note(String.format("%d puts returned; %s; %d producer and %d consumer kills",
                put, String.join(", ", lines), producers.kills(), consumers.kills()));
    }

    @Override
    public void close() {
        producers.killAll();
        consumers.killAll();
        queue.close();
        joinable.close();
        for (Pipe p : pipes) {
            p.close();
        }
    }
}
