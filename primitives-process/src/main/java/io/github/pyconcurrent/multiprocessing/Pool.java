package io.github.pyconcurrent.multiprocessing;

import io.github.pyconcurrent.multiprocessing.Channel.Frame;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A pool of worker JVMs that run tasks: Python's {@code multiprocessing.Pool}.
 *
 * <pre>{@code
 * try (Pool pool = new Pool(5)) {                                 // with Pool(5) as pool:
 *     for (int i = 0; i < 10; i++) {
 *         int n = i;
 *         pool.applyAsync(() -> 100 + n, v -> System.out.println("exec done: " + v));
 *     }
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));
 * }   // close(): every queued task finishes, every callback has run, no worker JVM is left
 * }</pre>
 *
 * <h2>Workers</h2>
 * Each worker is a child JVM started as {@link Process} children are (with the start method in
 * effect when the pool is created, so under {@code "forkserver"} warm spares become workers).
 * A worker runs the pool's initializer, then tasks in the order it receives them. A worker that
 * has run {@code maxTasksPerChild} tasks exits and is replaced.
 *
 * <h2>Dispatch</h2>
 * Each worker has two shared-memory {@link Ring}s in {@code /dev/shm}, made by this JVM: tasks go
 * one way, answers the other ({@link PoolWire}); their files are unlinked as soon as the worker
 * has attached them (and at the latest when the worker is gone). Tasks wait in one queue in this
 * JVM. They are written to workers a few at a time so that a worker never waits for the next
 * task, but spread evenly: a worker holds at most ceil(outstanding / workers) of them (at most
 * {@value #MAX_WINDOW}), so ten equal tasks on five workers take two task-times; tasks for one
 * worker written together share one ring record. Only one thread writes at a time, so each
 * worker's tasks arrive in the order they were assigned: the submitting thread itself when it
 * can, the result thread after answers when the records fit in the rings now, else the pool's
 * task thread. The result thread never waits for room in a task ring, so a worker blocked writing
 * a large result can never deadlock against this JVM writing it a large task.
 *
 * <p>Answers: one thread of this JVM, the result thread ({@link ResultHandler}), reads every
 * worker's result ring, runs callbacks and completes the results; the workers ring one shared
 * doorbell after each answer, so that thread sleeps on one futex and is woken (a system call)
 * only when it sleeps. The hello, {@code READY} and a worker's end still travel over its
 * authenticated control channel.
 *
 * <h2>Failures</h2>
 * A task's exception reaches {@link AsyncResult#get()} as the cause of a
 * {@link CompletionException} (a {@link RemoteError} if its class is not loadable here). A result
 * that cannot be serialized fails that task only. <b>Beyond CPython:</b> a worker that dies while
 * running a task (SIGKILL, out of memory, {@code System.exit}) fails that task with a
 * {@link WorkerDiedError} naming its pid and how it died; the tasks queued behind it in that
 * worker go back to the queue, the worker is replaced, and every other task completes. (CPython's
 * Pool hangs for ever here, python/cpython gh-66587.) Workers killed from outside are replaced
 * however often it happens; when they die before they are ready
 * {@value #EARLY_DEATHS_BEFORE_BACKOFF} times in a row, replacements are spaced by a growing
 * back-off (up to {@value #MAX_BACKOFF_MILLIS} ms, with a WARNING each time) until one starts. Only
 * an initializer that throws (the worker says so) counts against the pool: if it throws in
 * {@value #INIT_FAILURE_LIMIT_PER_WORKER} x processes workers in a row, the pool gives up: queued
 * tasks fail with {@link IllegalStateException} and new ones are refused.
 *
 * <h2>Callbacks</h2>
 * Callbacks and error callbacks run on the pool's result thread, exactly one of them per task,
 * before the task's {@link AsyncResult} turns ready. Tasks failed by {@link #terminate()} get a
 * {@link CancellationException} (and their error callback).
 *
 * <h2>Closing</h2>
 * {@link #close()} stops taking tasks, lets the queued ones finish, then lets the workers exit and
 * waits for them and for the last callbacks, so try-with-resources loses no task and leaves no
 * worker JVM. (Python's {@code close()} does not wait and its {@code with} terminates: this is the
 * one deliberate difference, because {@code AutoCloseable.close()} must release what it holds.)
 * {@link #terminate()} stops at once, however many tasks are queued. {@link #join()} waits for
 * the workers after either.
 */
public class Pool implements PoolLike {
    private static final System.Logger LOG = System.getLogger(Pool.class.getName());
    private static final AtomicInteger POOLS = new AtomicInteger();
    /** At most this many tasks are sent ahead to one worker. */
    static final int MAX_WINDOW = 64;
    static final int INIT_FAILURE_LIMIT_PER_WORKER = 3;
    /** Workers dying before ready this many times in a row start a back-off between replacements. */
    static final int EARLY_DEATHS_BEFORE_BACKOFF = 2;
    static final long MAX_BACKOFF_MILLIS = 1000;

    private enum State { RUNNING, CLOSED, TERMINATED, BROKEN }

    /** Tasks for one worker are written together in records of about this many bytes at most. */
    static final int BATCH_BYTES = 64 * 1024;

    private final int processes;
    private final SerializableRunnable initializer;
    private final int maxTasksPerChild;
    private final boolean forkserver;
    private final ResultHandler results;
    /**
     * How a caller waits for its answer before it sleeps on the doorbell ({@link #help}): spins
     * while that pays ({@link WaitStrategy#poolSite()}). Shared by the pool's callers: two at once
     * may mistune one wait, never break one.
     */
    private final WaitStrategy.Site answerWait = WaitStrategy.poolSite();
    private final String name;

    /** Held by the one thread reading the result rings ({@link #drainResults}). */
    private final java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();
    private final AsyncResult.Helper helper = this::help;
    /**
     * How long a caller of {@link AsyncResult#get()} sleeps on the doorbell reading answers itself
     * ({@link #help}) before it leaves them to the result thread: long enough for a task of a
     * few milliseconds on a busy machine, short enough that a caller of a long task is not woken
     * by every other answer for long ({@code -Dpyconcurrent.pool.helpMillis}, default 20; tests
     * set it longer to catch a caller in the act).
     */
    static volatile long helpSleepNanos = TimeUnit.MILLISECONDS.toNanos(Long.getLong("pyconcurrent.pool.helpMillis", 20));

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when there may be something to send, and when a worker is gone. */
    private final Condition changed = lock.newCondition();
    // Guarded by lock.
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private final List<Slot> slots = new ArrayList<>();
    /** The workers whose result rings the result thread reads: {@link #slots}, copied on change. */
    private volatile Slot[] readable = new Slot[0];
    private State state = State.RUNNING;
    private long nextId;
    private boolean dispatching;
    private boolean dispatchWanted;
    /** Writes the result thread could not make without waiting, for the task thread (which then owns dispatching). */
    private List<Send> handoff;
    private int initFailuresInARow;
    /** Workers that died (not by their initializer) before they were ready, in a row: killed from outside. */
    private int earlyDeathsInARow;
    private long backoffMillis;
    /** Workers being started (counted so close() waits for them too). */
    private int starting;

    /**
     * A pool of {@code processes} workers.
     *
     * @param processes how many worker JVMs; 0 or less: {@link Multiprocessing#cpuCount()}
     * @throws RuntimeException if a worker JVM cannot start; the workers already started are
     *     stopped, so nothing is left
     */
    public Pool(int processes) {
        this(builder().processes(processes));
    }

    /** A pool of {@link Multiprocessing#cpuCount()} workers. */
    public Pool() {
        this(builder());
    }

    private Pool(Builder b) {
        this.processes = b.processes > 0 ? b.processes : Multiprocessing.cpuCount();
        this.maxTasksPerChild = b.maxTasksPerChild;
        this.initializer = b.initializer;
        Serial.toBytes(b.initializer);   // an initializer that cannot be sent fails here, not in each worker
        this.forkserver = (b.startMethod != null ? b.startMethod : Multiprocessing.useStartMethod()).equals(Multiprocessing.FORKSERVER);
        this.name = "pyconcurrent-pool-" + POOLS.incrementAndGet();
        this.results = new ResultHandler(name + "-results", new ResultHandler.Source() {
            @Override
            public boolean drain() {
                return drainResults();
            }

            @Override
            public boolean hasData() {
                return anyAnswer();
            }
        });
        lock.lock();
        try {
            starting = processes;
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < processes; i++) {
            try {
                startWorker();
            } catch (RuntimeException e) {
                // A worker JVM that cannot start fails the pool's creation, and leaves nothing.
                lock.lock();
                try {
                    starting -= processes - i - 1;
                } finally {
                    lock.unlock();
                }
                terminate();
                join();
                throw e;
            }
        }
        Thread.ofPlatform().daemon().name(name + "-tasks").start(this::taskLoop);
        if (Worker.WARM_ROUNDS > 0 && WARMED.compareAndSet(false, true)) {
            Worker.startWarmUp(Worker.WARM_ROUNDS);   // this JVM's side of the task path, as each worker warms its own
        }
    }

    /** Whether this JVM's first pool started warming the task path. */
    private static final java.util.concurrent.atomic.AtomicBoolean WARMED = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * For the pool's optional settings:
     * {@code Pool.builder().processes(4).initializer(...).maxTasksPerChild(100).build()}.
     *
     * @return a new builder with every setting at its default
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Python's {@code Pool(processes, initializer, initargs, maxtasksperchild)}. */
    public static final class Builder {
        private int processes;
        private SerializableRunnable initializer;
        private int maxTasksPerChild;
        private String startMethod;

        private Builder() {}

        /**
         * How many workers; 0 or less: {@link Multiprocessing#cpuCount()}.
         *
         * @param processes how many worker JVMs; 0 or less (the default):
         *     {@link Multiprocessing#cpuCount()}
         * @return this builder
         */
        public Builder processes(int processes) {
            this.processes = processes;
            return this;
        }

        /**
         * Runs in each worker before its first task (Python's {@code initializer(*initargs)}).
         *
         * @param initializer what each worker runs first; it must be serializable; null (the
         *     default): nothing
         * @return this builder
         */
        public Builder initializer(SerializableRunnable initializer) {
            this.initializer = initializer;
            return this;
        }

        /**
         * A worker exits after this many tasks and is replaced; 0 or less: never.
         *
         * @param maxTasksPerChild tasks per worker before it is replaced; 0 or less (the default):
         *     never replaced
         * @return this builder
         */
        public Builder maxTasksPerChild(int maxTasksPerChild) {
            this.maxTasksPerChild = Math.max(0, maxTasksPerChild);
            return this;
        }

        /**
         * This pool's start method ({@value Multiprocessing#SPAWN} or {@value Multiprocessing#FORKSERVER}),
         * whatever {@link Multiprocessing#getStartMethod()} says: Python's {@code get_context(method).Pool()}.
         * Not set: the start method in effect when the pool is created.
         *
         * @param startMethod {@value Multiprocessing#SPAWN} or {@value Multiprocessing#FORKSERVER}
         * @return this builder
         * @throws IllegalArgumentException if {@code startMethod} is neither
         */
        public Builder startMethod(String startMethod) {
            if (!Multiprocessing.getAllStartMethods().contains(startMethod)) {
                throw new IllegalArgumentException("cannot find context for '" + startMethod + "': use one of "
                        + Multiprocessing.getAllStartMethods());
            }
            this.startMethod = startMethod;
            return this;
        }

        /**
         * Creates the pool with these settings and starts its workers.
         *
         * @return the new pool, running
         * @throws RuntimeException if a worker JVM cannot start; the workers already started are
         *     stopped, so nothing is left
         */
        public Pool build() {
            return new Pool(this);
        }
    }

    // ---------------------------------------------------------------- submitting

    /**
     * Runs {@code task} in a worker and returns its result ({@link AsyncResult#get()}'s failures).
     * The calling thread reads the answer from the worker's ring itself ({@link #help}).
     */
    @Override
    public <R> R apply(SerializableCallable<R> task) {
        results.enterDrain();   // before the task is written: the result thread is not woken for it
        AsyncResult<R> r;
        try {
            r = applyAsync(task);
        } catch (RuntimeException | Error e) {
            results.leaveDrain();
            throw e;
        }
        return r.get(true);
    }

    @Override
    public <R> AsyncResult<R> applyAsync(SerializableCallable<R> task) {
        return applyAsync(task, null, null);
    }

    @Override
    public <R> AsyncResult<R> applyAsync(SerializableCallable<R> task, Consumer<R> callback) {
        return applyAsync(task, callback, null);
    }

    @Override
    public <R> AsyncResult<R> applyAsync(SerializableCallable<R> task, Consumer<R> callback, Consumer<Throwable> errorCallback) {
        CompletableFuture<R> future = new CompletableFuture<>();
        submit(List.of(new Job(Serial.toBytes(task), future, callback, errorCallback)));
        return new AsyncResult<>(future, helper);
    }

    @Override
    public <T, R> List<R> map(SerializableFunction<T, R> fn, Iterable<T> iterable) {
        return mapAsync(fn, iterable).get();
    }

    @Override
    public <T, R> List<R> map(SerializableFunction<T, R> fn, Iterable<T> iterable, int chunksize) {
        return mapAsync(fn, iterable, chunksize).get();
    }

    @Override
    public <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<T, R> fn, Iterable<T> iterable) {
        return mapAsync(fn, iterable, 0);
    }

    /**
     * Applies {@code fn} to every item, in chunks of {@code chunksize} items per task (0 or less:
     * Python's default, the items divided by four times the workers, rounded up). The list is in
     * the input's order; the first failing chunk fails the whole map. ({@link PoolMaps}, shared
     * with the cluster's pool.)
     */
    @Override
    public <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<T, R> fn, Iterable<T> iterable, int chunksize) {
        return PoolMaps.mapAsync(this::applyAsync, fn, iterable, chunksize, processes);
    }

    @Override
    public <T, R> Iterator<R> imap(SerializableFunction<T, R> fn, Iterable<T> iterable) {
        return imap(fn, iterable, 1);
    }

    /**
     * A lazy {@code map}: tasks are submitted as the iterator is consumed (a bounded number ahead),
     * so the input may be long or endless; results come in the input's order. A failed task
     * throws its {@link CompletionException} from {@code next()}.
     */
    @Override
    public <T, R> Iterator<R> imap(SerializableFunction<T, R> fn, Iterable<T> iterable, int chunksize) {
        return PoolMaps.lazyMap(this::applyAsync, fn, iterable, chunksize, true, processes);
    }

    @Override
    public <T, R> Iterator<R> imapUnordered(SerializableFunction<T, R> fn, Iterable<T> iterable) {
        return imapUnordered(fn, iterable, 1);
    }

    /** As {@link #imap}, with results in the order they complete. */
    @Override
    public <T, R> Iterator<R> imapUnordered(SerializableFunction<T, R> fn, Iterable<T> iterable, int chunksize) {
        return PoolMaps.lazyMap(this::applyAsync, fn, iterable, chunksize, false, processes);
    }

    /** Python's {@code starmap}: each item is the argument list of one call. */
    @Override
    public <R> List<R> starmap(SerializableFunction<Object[], R> fn, Iterable<Object[]> iterable) {
        return map(fn, iterable);
    }

    @Override
    public <R> List<R> starmap(SerializableFunction<Object[], R> fn, Iterable<Object[]> iterable, int chunksize) {
        return map(fn, iterable, chunksize);
    }

    private void submit(List<Job> jobs) {
        lock.lock();
        try {
            if (state != State.RUNNING) {
                throw new IllegalStateException(state == State.BROKEN
                        ? "Pool not running: its initializer failed in every worker"
                        : "Pool not running (closed or terminated)");
            }
            for (Job j : jobs) {
                j.id = ++nextId;
                queue.add(j);
            }
        } finally {
            lock.unlock();
        }
        results.expect(jobs.size());
        dispatch(!results.isResultThread());
    }

    // ---------------------------------------------------------------- closing

    @Override
    public void close() {
        lock.lock();
        try {
            if (state == State.RUNNING) {
                state = State.CLOSED;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        dispatch(!results.isResultThread());
        join();
    }

    @Override
    public void terminate() {
        List<Job> failed = new ArrayList<>();
        List<Slot> victims;
        lock.lock();
        try {
            if (state == State.TERMINATED) {
                return;
            }
            state = State.TERMINATED;
            failed.addAll(queue);
            queue.clear();
            for (Slot s : slots) {
                failed.addAll(s.inFlight);
                s.inFlight.clear();
            }
            victims = new ArrayList<>(slots);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        CancellationException cancelled = new CancellationException("the pool was terminated");
        for (Job j : failed) {
            j.fail(cancelled, results);
        }
        for (Slot s : victims) {
            s.child.terminate();
        }
        // Stragglers (a worker stuck in native code or ignoring SIGTERM) are killed after a second.
        Thread.ofVirtual().start(() -> {
            for (Slot s : victims) {
                try {
                    if (!s.child.os.waitFor(1, TimeUnit.SECONDS)) {
                        s.child.kill();
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /**
     * After {@link #close()} or {@link #terminate()}: waits until every worker has exited and every
     * callback has run. Before either: {@link IllegalStateException} (Python's ValueError).
     */
    @Override
    public void join() {
        lock.lock();
        try {
            if (state == State.RUNNING) {
                throw new IllegalStateException("Pool is still running: close() or terminate() it first");
            }
            while (!slots.isEmpty() || starting > 0) {
                changed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedInterruptedException(e);
        } finally {
            lock.unlock();
        }
        try {
            results.stopAndJoin();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedInterruptedException(e);
        }
    }

    /**
     * Whether the result thread sleeps off the workers' doorbell now (tests: an idle pool's answers
     * wake only their caller).
     *
     * @return true while it is parked off the doorbell
     */
    boolean resultThreadParkedOffBell() {
        return results.parkedOffBell();
    }

    /**
     * The pids of the current workers (for tests and monitoring).
     *
     * @return a new list of the pids of the live workers, in no particular order
     */
    public List<Long> workerPids() {
        lock.lock();
        try {
            return slots.stream().map(s -> s.child.pid).toList();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- workers

    private boolean terminated() {
        lock.lock();
        try {
            return state == State.TERMINATED;
        } finally {
            lock.unlock();
        }
    }

    /** A worker counted in {@link #starting} will not be started after all. */
    private void abandonStart() {
        lock.lock();
        try {
            starting--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: {@link #readable} follows {@link #slots}. */
    private void slotsChanged() {
        readable = slots.toArray(new Slot[0]);
        results.bellsInUse(slots.stream().map(s -> s.bell).collect(java.util.stream.Collectors.toSet()));
        changed.signalAll();
    }

    private void startWorker() {
        ChildProcess child;
        Ring tasks = null;
        Ring answers = null;
        try {
            tasks = Ring.create("task", QueueTuning.POOL_RING_BYTES);
            answers = Ring.create("result", QueueTuning.POOL_RING_BYTES);
            boolean verify = ChildLauncher.get().mustVerifyStart();
            child = forkserver ? ForkServer.get().take() : ChildLauncher.get().launch(ChildLauncher.Mode.SPAWN);
            if (verify) {
                child.awaitConnected(); // a worker JVM that cannot start says why, at once
            }
        } catch (RuntimeException e) {
            if (tasks != null) {
                tasks.release();
            }
            if (answers != null) {
                answers.release();
            }
            abandonStart();
            throw e;
        }
        Slot slot = new Slot(child, tasks, answers, results.bellName());
        boolean late;
        lock.lock();
        try {
            starting--;
            slots.add(slot);
            slotsChanged();
            late = state == State.TERMINATED;   // terminate() ran while this one started: it goes too
        } finally {
            lock.unlock();
        }
        if (late) {
            child.setListener(slot);
            child.terminate();
            return;
        }
        child.send(Frame.WORKER, 0, Serial.toBytes(new Worker.Config(initializer, maxTasksPerChild,
                tasks.name(), answers.name(), slot.bell)));
        child.setListener(slot);
        wakeTaskThread();
    }

    /**
     * Writes what can be written to the workers; {@code mayWait}: this thread may wait for room in
     * a task ring (false on the result thread, whose writes that would wait go to the task thread).
     */
    private void dispatch(boolean mayWait) {
        while (true) {
            List<Send> sends;
            lock.lock();
            try {
                if (dispatching) {
                    dispatchWanted = true;
                    return;
                }
                sends = plan();
                if (sends.isEmpty()) {
                    return;
                }
                dispatching = true;
            } finally {
                lock.unlock();
            }
            List<Send> left = List.of();
            try {
                left = write(sends, mayWait);
            } finally {
                lock.lock();
                try {
                    if (left.isEmpty()) {
                        dispatching = false;
                    } else {
                        handoff = left;   // the task thread writes them, still as the one dispatcher
                        changed.signalAll();
                    }
                    // Nobody waits for the end of a dispatch but the task thread for a handoff:
                    // signalling after every write woke it once per apply for nothing.
                    dispatchWanted = false;
                } finally {
                    lock.unlock();
                }
            }
            if (!left.isEmpty()) {
                return;
            }
        }
    }

    private record Send(Slot slot, byte type, Job job) {
        byte[] payload() {
            return job == null ? EMPTY : job.payload;
        }

        long id() {
            return job == null ? 0 : job.id;
        }
    }

    private static final byte[] EMPTY = new byte[0];

    /**
     * Writes {@code sends} (planned in order), each worker's in as few records as fit in
     * {@link #BATCH_BYTES}. Returns the ones not written, in order, when {@code mayWait} is false
     * and a record does not fit in its ring now; else nothing.
     */
    private List<Send> write(List<Send> sends, boolean mayWait) {
        List<Send> ordered = bySlot(sends);
        int i = 0;
        while (i < ordered.size()) {
            Slot slot = ordered.get(i).slot;
            int end = i + 1;
            int bytes = PoolWire.size(ordered.get(i).payload());
            while (end < ordered.size() && ordered.get(end).slot == slot
                    && bytes + PoolWire.size(ordered.get(end).payload()) <= BATCH_BYTES) {
                bytes += PoolWire.size(ordered.get(end).payload());
                end++;
            }
            byte[] record = record(ordered.subList(i, end), bytes);
            if (!slot.writeTasks(record, mayWait)) {
                return new ArrayList<>(ordered.subList(i, ordered.size()));
            }
            i = end;
        }
        return List.of();
    }

    /**
     * {@code sends} grouped by worker, each worker's in their order. Sends that all go to one
     * worker (an {@code apply}: one send) are returned as they are: JFR of a loop of applies had
     * about a fifth of the caller's samples in the grouping map's hashing and resizing.
     */
    private static List<Send> bySlot(List<Send> sends) {
        if (sends.size() <= 1) {
            return sends;
        }
        Slot first = sends.get(0).slot;
        boolean oneSlot = true;
        for (int i = 1; i < sends.size() && oneSlot; i++) {
            oneSlot = sends.get(i).slot == first;
        }
        if (oneSlot) {
            return sends;
        }
        LinkedHashMap<Slot, List<Send>> bySlot = new LinkedHashMap<>();
        for (Send s : sends) {
            bySlot.computeIfAbsent(s.slot, k -> new ArrayList<>()).add(s);
        }
        List<Send> ordered = new ArrayList<>(sends.size());
        bySlot.values().forEach(ordered::addAll);
        return ordered;
    }

    private static byte[] record(List<Send> entries, int bytes) {
        byte[] r = new byte[bytes];
        int at = 0;
        for (Send s : entries) {
            at = PoolWire.put(r, at, s.type, s.id(), s.payload());
        }
        return r;
    }

    /** Assigns queued tasks to workers, evenly; stops idle workers once closed. Under the lock. */
    private List<Send> plan() {
        List<Send> sends = new ArrayList<>();
        if (state == State.TERMINATED) {
            return sends;
        }
        int live = 0;
        int outstanding = queue.size();
        for (Slot s : slots) {
            if (!s.stopSent) {
                live++;
                outstanding += s.inFlight.size();
            }
        }
        if (live > 0 && !queue.isEmpty()) {
            int window = Math.min(MAX_WINDOW, Math.max(1, (outstanding + live - 1) / live));
            // Each task to the least loaded worker (the first of equals) while it is under the
            // window: per task one look at each worker, not one per depth of the window.
            while (!queue.isEmpty()) {
                Slot least = null;
                int fewest = window;
                for (Slot s : slots) {
                    int n = s.inFlight.size();
                    if (n < fewest && !s.stopSent && (maxTasksPerChild == 0 || s.sent < maxTasksPerChild)) {
                        least = s;
                        fewest = n;
                    }
                }
                if (least == null) {
                    break;
                }
                Job j = queue.poll();
                least.inFlight.add(j);
                least.sent++;
                sends.add(new Send(least, PoolWire.TASK, j));
            }
        }
        if (state != State.RUNNING && queue.isEmpty()) {
            for (Slot s : slots) {
                if (!s.stopSent && s.inFlight.isEmpty()) {
                    s.stopSent = true;
                    sends.add(new Send(s, PoolWire.STOP, null));
                }
            }
        }
        return sends;
    }

    private void wakeTaskThread() {
        lock.lock();
        try {
            dispatchWanted = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Python's {@code _handle_tasks}: writes what the result thread must not wait for (a record
     * that did not fit in its ring then), and dispatches when a worker arrives.
     */
    private void taskLoop() {
        while (true) {
            List<Send> mine = null;
            lock.lock();
            try {
                while (handoff == null && !dispatchWanted && state != State.TERMINATED
                        && !(state != State.RUNNING && slots.isEmpty() && starting == 0)) {
                    changed.await();
                }
                if (state == State.TERMINATED) {
                    if (handoff != null) {
                        handoff = null;       // their tasks were failed by terminate()
                        dispatching = false;
                    }
                    return;
                }
                if (handoff != null) {
                    mine = handoff;
                    handoff = null;
                } else if (state != State.RUNNING && slots.isEmpty() && starting == 0) {
                    return;
                } else {
                    dispatchWanted = false;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            if (mine != null) {
                try {
                    write(mine, true);
                } finally {
                    lock.lock();
                    try {
                        dispatching = false;
                    } finally {
                        lock.unlock();
                    }
                }
            }
            dispatch(true);
        }
    }

    // ---------------------------------------------------------------- answers

    /**
     * Reads every worker's result ring and delivers the answers (callbacks to the result thread);
     * whether there was any. By the result thread, or by a caller waiting for its result
     * ({@link #help}): one of them at a time ({@link #draining}), so a worker's answers are
     * delivered in order; false at once if another thread is at it.
     */
    private boolean drainResults() {
        if (!draining.compareAndSet(false, true)) {
            return false;
        }
        boolean any = false;
        boolean dispatchNow = false;
        try {
            for (Slot s : readable) {
                List<Answer> answers = s.takeAnswers(false);
                if (answers == null) {
                    continue;
                }
                any = true;
                for (Answer a : answers) {
                    dispatchNow |= a.moreToSend;
                    a.deliver(results);
                }
            }
        } finally {
            draining.set(false);
        }
        if (dispatchNow) {
            dispatch(false);
        }
        return any;
    }

    private boolean anyAnswer() {
        for (Slot s : readable) {
            if (!s.answers.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The wait of a caller of {@link AsyncResult#get()} on this pool's task: instead of being
     * woken by the result thread once it has read the answer (a third hop, and on a busy machine
     * a third thread to schedule), the caller reads the answers itself. It polls the result rings
     * while {@link #answerWait} says spinning pays, then sleeps on the workers' doorbell, woken by
     * the next answer, for up to {@link #helpSleepNanos} (one caller at a time: the others park on
     * their results, completed by whoever reads their answers). Then, or when its result is
     * there, it stops helping; a task still running then is answered through the result thread.
     */
    private void help(CompletableFuture<?> future, long deadline, boolean registered) {
        if (!registered) {
            results.enterDrain();
        }
        boolean sleeper = false;
        try {
            long start = System.nanoTime();
            long budget = deadline == Long.MAX_VALUE ? -1 : deadline - start;
            long spun = answerWait.spinNanos();
            while (!future.isDone()) {
                if (drainResults()) {
                    continue;
                }
                if (answerWait.idle(start, budget, spun)) {
                    continue;
                }
                answerWait.ended(start, spun);   // spinning did not pay this time
                spun = 0;
                long now = System.nanoTime();
                long slice = Math.min(helpSleepNanos - (now - start), deadline - now);
                if (slice <= 0 || Thread.currentThread().isInterrupted()) {
                    return;
                }
                if (!sleeper) {
                    if (!results.claimBell()) {
                        return;
                    }
                    sleeper = true;
                }
                results.awaitBell(() -> future.isDone() || anyAnswer(), slice);
            }
            if (spun > 0) {
                answerWait.ended(start, spun);   // done while spinning (or within it)
            }
        } finally {
            if (sleeper) {
                results.releaseBell();
            }
            results.leaveDrain();
        }
    }

    /** A worker's answer to a task, taken from its ring and matched to its job (still to be decoded). */
    private record Answer(Job job, byte kind, byte[] record, int offset, int length, boolean moreToSend) {
        void deliver(ResultHandler results) {
            if (kind == PoolWire.RESULT) {
                Object value;
                try {
                    value = Serial.fromBytes(record, offset, length);
                } catch (ClassNotFoundException | RuntimeException e) {
                    job.fail(new IllegalStateException("the task's result could not be read in this JVM", e), results);
                    return;
                }
                job.succeed(value, results);
            } else {
                Throwable t;
                try {
                    t = ((TaskFailure) Serial.fromBytes(record, offset, length)).toThrowable();
                } catch (ClassNotFoundException | RuntimeException e) {
                    t = e;
                }
                job.fail(t, results);
            }
        }
    }

    /** One worker: its child, its rings and the tasks sent to it, in order. */
    private final class Slot implements ChildProcess.Listener {
        final ChildProcess child;
        /** This JVM writes tasks here (one dispatcher at a time); the worker reads them. */
        final Ring tasks;
        /** The worker writes its answers here; the result thread reads them (and the exit handling, last). */
        final Ring answers;
        /** The name of the doorbell this worker rings after each answer. */
        final String bell;
        /** Guarded by the pool's lock: sent and unanswered, the first one running. */
        final ArrayDeque<Job> inFlight = new ArrayDeque<>();
        int sent;
        boolean ready;
        /** The worker said its initializer threw (it then exits 1). */
        boolean initFailed;
        boolean stopSent;
        /** Held while answers are taken from {@link #answers} and matched; {@link #exited} is set under it. */
        private final Object reading = new Object();
        /** The worker is gone and its rings released: nobody reads or writes them any more. */
        private volatile boolean exited;

        Slot(ChildProcess child, Ring tasks, Ring answers, String bell) {
            this.child = child;
            this.bell = bell;
            this.tasks = tasks;
            this.answers = answers;
        }

        /**
         * Writes one record of tasks; false if {@code mayWait} is false and it does not fit now.
         * A worker that died meanwhile is ignored: its exit handling requeues or fails its tasks.
         */
        boolean writeTasks(byte[] record, boolean mayWait) {
            if (exited) {
                return true;
            }
            try {
                if (!mayWait) {
                    return record.length <= tasks.maxPieceBytes() && tasks.tryPut(record, 0);
                }
                tasks.put(record, 0, -1, -1);   // PEER_GONE once the worker is gone (abandon)
            } catch (RuntimeException e) {
                if (!exited) {
                    throw e;
                }
                // the ring was released under us by the exit handling: the worker is gone
            }
            return true;
        }

        /**
         * Takes every answer in the result ring and matches it to its job (removed from
         * {@link #inFlight}); null if there was none. {@code last}: the worker is gone, its ring
         * is read for the last time and released.
         */
        List<Answer> takeAnswers(boolean last) {
            List<Answer> taken = null;
            synchronized (reading) {
                if (exited) {
                    return null;
                }
                byte[] record;
                while ((record = answers.tryTake()) != null) {
                    if (taken == null) {
                        taken = new ArrayList<>();
                    }
                    List<Answer> into = taken;
                    byte[] r = record;
                    PoolWire.forEach(record, (kind, id, rec, offset, length) -> {
                        Answered a = answered(id);
                        if (a.job != null) {
                            into.add(new Answer(a.job, kind, r, offset, length, a.moreToSend));
                        }
                        return true;
                    });
                }
                if (last) {
                    exited = true;
                    tasks.abandon();   // a dispatcher waiting for room in it stops waiting
                    tasks.release();
                    answers.release();
                }
            }
            return taken;
        }

        private record Answered(Job job, boolean moreToSend) {}

        /** The job {@code id} leaves {@link #inFlight}; null if it is not there (terminate() failed it). */
        private Answered answered(long id) {
            lock.lock();
            try {
                Job job = inFlight.peek();
                if (job == null) {
                    return new Answered(null, false);
                }
                if (job.id == id) {
                    inFlight.poll();
                } else {
                    job = null;
                    for (Iterator<Job> it = inFlight.iterator(); it.hasNext(); ) {
                        Job j = it.next();
                        if (j.id == id) {
                            job = j;
                            it.remove();
                            break;
                        }
                    }
                }
                return new Answered(job, !queue.isEmpty() || state != State.RUNNING);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onFrame(Frame f) {
            if (f.type() == Frame.READY || f.type() == Frame.INIT_FAILED) {
                lock.lock();
                try {
                    if (f.type() == Frame.READY) {
                        ready = true;
                        initFailuresInARow = 0;
                        earlyDeathsInARow = 0;
                    } else {
                        initFailed = true;
                    }
                } finally {
                    lock.unlock();
                }
                if (f.type() == Frame.READY) {
                    // Both sides have mapped the rings: their names are no longer needed.
                    synchronized (reading) {
                        if (!exited) {
                            tasks.shm.unlink();
                            answers.shm.unlink();
                        }
                    }
                }
            }
        }

        @Override
        public void onExit(ChildProcess c, int exitCode) {
            // Answers the worker wrote before it died are delivered first, so that only the task
            // it was running fails.
            List<Answer> last = takeAnswers(true);
            if (last != null) {
                for (Answer a : last) {
                    a.deliver(results);
                }
            }
            Job died = null;
            boolean replace;
            List<Job> giveUp = List.of();
            lock.lock();
            try {
                slots.remove(this);
                slotsChanged();
                if (!inFlight.isEmpty()) {
                    if (ready) {
                        died = inFlight.poll();
                    }
                    for (Iterator<Job> it = inFlight.descendingIterator(); it.hasNext(); ) {
                        queue.addFirst(it.next());
                    }
                    inFlight.clear();
                }
                if (initFailed) {
                    initFailuresInARow++;
                } else if (!ready) {
                    earlyDeathsInARow++;   // killed from outside (or crashed) while starting
                }
                backoffMillis = earlyDeathsInARow < EARLY_DEATHS_BEFORE_BACKOFF ? 0
                        : Math.min(MAX_BACKOFF_MILLIS, 10L << Math.min(20, earlyDeathsInARow - EARLY_DEATHS_BEFORE_BACKOFF));
                if (initFailuresInARow >= INIT_FAILURE_LIMIT_PER_WORKER * processes && state == State.RUNNING) {
                    state = State.BROKEN;
                    giveUp = new ArrayList<>(queue);
                    queue.clear();
                }
                replace = state == State.RUNNING || ((state == State.CLOSED || state == State.BROKEN) && !queue.isEmpty());
                if (replace) {
                    starting++;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            if (died != null) {
                LOG.log(Level.WARNING, "pool worker pid " + c.pid + " " + ExitStatus.describe(exitCode)
                        + " while running a task; the task fails with WorkerDiedError and the worker is replaced");
                died.fail(new WorkerDiedError(c.pid, exitCode), results);
            }
            IllegalStateException broken = new IllegalStateException("the pool's initializer failed in "
                    + initFailuresInARow + " workers in a row; the pool stopped");
            for (Job j : giveUp) {
                j.fail(broken, results);
            }
            if (replace) {
                long delay = backoffMillis;
                if (delay > 0) {
                    LOG.log(Level.WARNING, "pool workers die before they are ready (" + earlyDeathsInARow
                            + " in a row, the last pid " + c.pid + " " + ExitStatus.describe(exitCode)
                            + "): replacing them " + delay + " ms apart until one starts");
                }
                // Not on this thread: it may be the JDK's process reaper.
                Thread.ofVirtual().name(name + "-replace").start(() -> {
                    try {
                        if (delay > 0) {
                            Thread.sleep(delay);   // a back-off, not a wait for a condition
                            if (terminated()) {
                                abandonStart();
                                return;
                            }
                        }
                        startWorker();
                    } catch (InterruptedException e) {
                        abandonStart();
                    } catch (RuntimeException e) {
                        LOG.log(Level.ERROR, "could not replace a pool worker", e);
                    }
                });
            }
        }
    }

    /** A submitted task: its bytes, where its result goes, its callbacks. */
    private static final class Job {
        long id;
        final byte[] payload;
        final CompletableFuture<Object> future;
        final Consumer<Object> callback;
        final Consumer<Throwable> errorCallback;

        @SuppressWarnings("unchecked")
        <R> Job(byte[] payload, CompletableFuture<R> future, Consumer<R> callback, Consumer<Throwable> errorCallback) {
            this.payload = payload;
            this.future = (CompletableFuture<Object>) future;
            this.callback = (Consumer<Object>) callback;
            this.errorCallback = errorCallback;
        }

        /**
         * Completes the result; with a callback, on the result thread (here if this is it), callback
         * first. Called once per job, when it leaves the worker's (or pool's) list.
         */
        void succeed(Object value, ResultHandler results) {
            results.answered();
            if (callback == null && errorCallback == null) {
                future.complete(value);
                results.completed();
                return;
            }
            results.execute(() -> {
                try {
                    if (callback != null) {
                        callback.accept(value);
                    }
                } finally {
                    future.complete(value);
                    results.completed();
                }
            });
        }

        void fail(Throwable error, ResultHandler results) {
            results.answered();
            if (callback == null && errorCallback == null) {
                future.completeExceptionally(error);
                results.completed();
                return;
            }
            results.execute(() -> {
                try {
                    if (errorCallback != null) {
                        errorCallback.accept(error);
                    }
                } finally {
                    future.completeExceptionally(error);
                    results.completed();
                }
            });
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "<Pool " + name + " state=" + state + " workers=" + slots.size() + " queued=" + queue.size() + ">";
        } finally {
            lock.unlock();
        }
    }
}
