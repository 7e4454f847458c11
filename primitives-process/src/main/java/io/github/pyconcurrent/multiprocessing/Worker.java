package io.github.pyconcurrent.multiprocessing;

import io.github.pyconcurrent.multiprocessing.Channel.Frame;
import java.io.Serializable;

/**
 * A pool worker's loop, in its child JVM: attach the worker's rings, run the initializer, say
 * {@code READY} (over the control channel), then run tasks in the order they arrive on the task
 * ring and answer each on the result ring ({@link PoolWire}), ringing the pool's doorbell. Python's
 * {@code multiprocessing.pool.worker}.
 *
 * <p>A task that fails, or whose result cannot be serialized, fails alone: the worker goes on.
 * The worker exits 0 after {@code maxTasks} tasks (the pool replaces it) or on {@code STOP}; it
 * exits 1 if its initializer throws. When the parent dies, the {@link Lifeline} ends it.
 */
final class Worker {
    /**
     * What a worker is told when it starts: its rings are named here (the parent created them).
     *
     * @param initializer what the worker runs first, or null
     * @param maxTasks tasks before the worker exits; 0: no limit
     * @param taskRing the name of the ring the worker reads its tasks from
     * @param resultRing the name of the ring it writes its answers to
     * @param bellRing the name of the pool's doorbell ring, rung after each answer
     */
    record Config(SerializableRunnable initializer, int maxTasks, String taskRing, String resultRing, String bellRing)
            implements Serializable {
        @java.io.Serial
        private static final long serialVersionUID = 2L;
    }

    /** The worker loop of this JVM, once it is a pool worker (tests reach its rings through it). */
    private static volatile Worker current;

    /** Answers are written here. */
    final Ring results;

    private Worker(Ring results, Ring bell) {
        this.results = results;
        results.alsoRing(bell);   // each piece of an answer rings the pool's doorbell
    }

    static int run(Channel channel, byte[] configBytes) {
        Config config = Serial.read(configBytes);
        Multiprocessing.setCurrentProcess(Process.poolWorker());
        // Attached before READY: the parent unlinks the ring files once it hears READY.
        Ring tasks = Ring.open(config.taskRing());
        Worker worker = new Worker(Ring.open(config.resultRing()), Ring.open(config.bellRing()));
        current = worker;
        if (config.initializer() != null) {
            try {
                config.initializer().run();
            } catch (Throwable t) {
                System.err.println("Pool worker " + ProcessHandle.current().pid() + ": initializer failed:");
                t.printStackTrace();
                // Said explicitly: a worker killed from outside before READY is not the initializer's fault.
                channel.send(Frame.INIT_FAILED, 0, Serial.toBytes(new TaskFailure(t)));
                return 1;
            }
        }
        channel.send(Frame.READY, 0);
        if (WARM_ROUNDS > 0 && (config.maxTasks() <= 0 || config.maxTasks() >= 1000)) {   // not for a short-lived worker
            startWarmUp(WARM_ROUNDS);
        }
        int[] done = {0};
        boolean more = true;
        while (more) {
            byte[] record = nextRecord(tasks);
            more = PoolWire.forEach(record, (kind, id, r, offset, length) -> {
                if (kind != PoolWire.TASK) {
                    return false;   // STOP
                }
                worker.runTask(id, r, offset, length);
                return config.maxTasks() <= 0 || ++done[0] < config.maxTasks();
            });
        }
        System.out.flush();
        System.err.flush();
        return 0;
    }

    /**
     * The next record of tasks, waiting as the {@link WaitStrategy#poolSite()} says and then on the ring's
     * futex. The futex sleep has no reason to end but a write (the parent's death ends this JVM
     * through its {@link Lifeline}), so it has no time limit: an idle worker never wakes
     * ({@link ResultHandler#UNTIL_WOKEN}).
     */
    private static byte[] nextRecord(Ring tasks) {
        byte[] record = tasks.tryTake();
        if (record != null) {
            return record;
        }
        WaitStrategy.Site site = TASK_WAIT.get();
        long start = System.nanoTime();
        long spun = site.spinNanos();
        while (record == null) {
            if (!site.idle(start, -1, spun)) {
                tasks.awaitRing(() -> !tasks.isEmpty(), ResultHandler.UNTIL_WOKEN);
            }
            record = tasks.tryTake();
        }
        site.ended(start, spun);
        return record;
    }

    /** How a thread of this JVM waits for its next task (the worker's loop; the warm-up's own thread). */
    private static final ThreadLocal<WaitStrategy.Site> TASK_WAIT = ThreadLocal.withInitial(WaitStrategy::poolSite);

    /**
     * How many times a worker (in the background, once it is ready) and a JVM's first pool run
     * the task path on private rings ({@link #warmTaskPath}); 0, the default: never
     * ({@code -Dpyconcurrent.pool.warmRounds}, e.g. 10,000). Off by default because of what it
     * costs a pool that does not live long: an idle worker's RSS 62-68 MB without it and 71 MB
     * with 10,000 rounds (3 workers each, Pool(1) after 200 applies), and, in two paired
     * StartupProbe runs, Pool(2) create+apply+close+join 1.51x and 0.92x. What it buys: the
     * first apply after 300 ms of idling 1.31/1.12 ms without, 0.87/0.67 ms with it. Measured
     * again with the warm-up at nice 19 (2026-12-08, load 20-28, five alternated pairs of a probe
     * with the row's definition): that apply 0.67x (median; 0.29x-0.86x) of the time without it,
     * and 0.93x with this JVM's side warmed alone; an idle worker's RSS 2-4 MB more; but a
     * {@code Pool(4)} used 12.9% of a core over its first 10 idle seconds (the C2 compiler
     * threads of all five JVMs compiling what the warm-up ran) against 1.2% without: an idle
     * pool must cost nothing, so it stays off.
     */
    static final int WARM_ROUNDS = Integer.getInteger("pyconcurrent.pool.warmRounds", 0);

    /**
     * Starts {@link #warmTaskPath}{@code (rounds)} on a daemon thread of the weakest
     * scheduling priority ({@link Posix#weakestPriorityForThisThread()}; Java's thread priorities
     * are ignored on Linux): the warm-up then takes CPU time only when nothing else of the machine
     * wants it, so it does not slow the tasks it prepares for, however busy the machine is.
     *
     * @param rounds how many times the path is run
     */
    static void startWarmUp(int rounds) {
        ChildExit.shortNativeCallsOnly(Thread.ofPlatform().daemon().priority(Thread.MIN_PRIORITY)
                .name("pyconcurrent-pool-warmup").start(() -> warmTaskPath(rounds, Worker::weakestPriority)));
    }

    private static void weakestPriority() {
        try {
            Posix.weakestPriorityForThisThread();
        } catch (LinkageError | RuntimeException e) {
            // libc not reachable through JNA here: the warm-up runs at the usual priority
        }
    }

    /**
     * Runs a pool task's whole path {@code rounds} times in this JVM, on a private pair of rings
     * (unlinked at once): serialize a lambda task, write it, read it, run it, answer, read and
     * deserialize the answer. Why: the JIT compiles a method after thousands of calls, and a
     * pool's first hundreds of tasks ran the path interpreted or half compiled. Measured (probe,
     * Pool(2), 200 warm-up applies, then 10 x (300 ms idle; one apply), load ~20): 1.1 ms with
     * both sides cold, 0.7 ms with a warm parent and a cold worker, 0.19 ms with both warm.
     * On a low-priority daemon thread: it costs a worker about a tenth of a second of CPU once.
     * {@code thenRun} runs once the rings exist and their names are gone: a thread that lowers its
     * priority there is never held off the CPU while it owns a file in /dev/shm.
     */
    static void warmTaskPath(int rounds, Runnable thenRun) {
        Ring tasks = null;
        Ring answers = null;
        try {
            tasks = Ring.create("warm", 64 * 1024);
            answers = Ring.create("warm", 64 * 1024);
            tasks.shm.unlink();
            answers.shm.unlink();
            thenRun.run();
            Worker worker = new Worker(answers, null);
            Ring in = tasks;
            Ring out = answers;
            for (int i = 0; i < rounds; i++) {
                int n = i;
                SerializableCallable<Integer> task = () -> n + 1;
                in.put(PoolWire.single(PoolWire.TASK, i, Serial.toBytes(task)), 0, -1, -1);
                PoolWire.forEach(nextRecord(in), (kind, id, r, offset, length) -> {
                    worker.runTask(id, r, offset, length);
                    return true;
                });
                PoolWire.forEach(out.take(-1, -1), (kind, id, r, offset, length) -> {
                    try {
                        Serial.fromBytes(r, offset, length);
                    } catch (ClassNotFoundException e) {
                        throw new IllegalStateException(e);
                    }
                    return true;
                });
            }
        } catch (RuntimeException e) {
            System.getLogger(Worker.class.getName()).log(System.Logger.Level.DEBUG,
                    "warming the pool's task path failed; tasks run cold", e);
        } finally {
            if (tasks != null) {
                tasks.release();
            }
            if (answers != null) {
                answers.release();
            }
        }
    }

    static Worker current() {
        return current;
    }

    private void runTask(long id, byte[] record, int offset, int length) {
        byte[] answer;
        byte kind;
        try {
            SerializableCallable<?> task = (SerializableCallable<?>) Serial.fromBytes(record, offset, length);
            Object result = task.call();
            answer = Serial.toBytes(result);
            kind = PoolWire.RESULT;
        } catch (Throwable t) {
            answer = Serial.toBytes(new TaskFailure(t));
            kind = PoolWire.FAILURE;
        }
        // Written at once, never held back for the next task: a callback must not wait for a
        // later task, and a worker that dies in its next task must not take this answer with it
        // (the pool fails the task it believes was running).
        results.put(PoolWire.single(kind, id, answer), 0, -1, -1);   // rings the doorbell (alsoRing)
    }
}
