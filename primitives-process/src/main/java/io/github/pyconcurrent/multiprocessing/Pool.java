package io.github.pyconcurrent.multiprocessing;

import io.github.pyconcurrent.multiprocessing.Channel.Frame;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
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
 * Tasks wait in one queue in this JVM. They are sent to workers a few at a time so that a worker
 * never waits for the next task, but spread evenly: a worker holds at most
 * ceil(outstanding / workers) of them (at most {@value #MAX_WINDOW}), so ten equal tasks on five
 * workers take two task-times. Only one thread sends at a time (the submitting thread when it
 * can, else the pool's task thread), so each worker's tasks arrive in the order they were
 * assigned; reader threads never send, so a worker blocked writing a large result can never
 * deadlock against this JVM writing it a large task.
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

    private final int processes;
    private final byte[] workerConfig;
    private final int maxTasksPerChild;
    private final boolean forkserver;
    private final ResultHandler results;
    private final String name;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when there may be something to send, and when a worker is gone. */
    private final Condition changed = lock.newCondition();
    // Guarded by lock.
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private final List<Slot> slots = new ArrayList<>();
    private State state = State.RUNNING;
    private long nextId;
    private boolean dispatching;
    private boolean dispatchWanted;
    private int initFailuresInARow;
    /** Workers that died (not by their initializer) before they were ready, in a row: killed from outside. */
    private int earlyDeathsInARow;
    private long backoffMillis;
    /** Workers being started (counted so close() waits for them too). */
    private int starting;

    /** A pool of {@code processes} workers. */
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
        this.workerConfig = Serial.toBytes(new Worker.Config(b.initializer, b.maxTasksPerChild));
        this.forkserver = (b.startMethod != null ? b.startMethod : Multiprocessing.useStartMethod()).equals(Multiprocessing.FORKSERVER);
        this.name = "pyconcurrent-pool-" + POOLS.incrementAndGet();
        this.results = new ResultHandler(name + "-results");
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
    }

    /** For the pool's optional settings: {@code Pool.builder().processes(4).initializer(...).maxTasksPerChild(100).build()}. */
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

        /** How many workers; 0 or less: {@link Multiprocessing#cpuCount()}. */
        public Builder processes(int processes) {
            this.processes = processes;
            return this;
        }

        /** Runs in each worker before its first task (Python's {@code initializer(*initargs)}). */
        public Builder initializer(SerializableRunnable initializer) {
            this.initializer = initializer;
            return this;
        }

        /** A worker exits after this many tasks and is replaced; 0 or less: never. */
        public Builder maxTasksPerChild(int maxTasksPerChild) {
            this.maxTasksPerChild = Math.max(0, maxTasksPerChild);
            return this;
        }

        /**
         * This pool's start method ({@value Multiprocessing#SPAWN} or {@value Multiprocessing#FORKSERVER}),
         * whatever {@link Multiprocessing#getStartMethod()} says: Python's {@code get_context(method).Pool()}.
         * Not set: the start method in effect when the pool is created.
         */
        public Builder startMethod(String startMethod) {
            if (!Multiprocessing.getAllStartMethods().contains(startMethod)) {
                throw new IllegalArgumentException("cannot find context for '" + startMethod + "': use one of "
                        + Multiprocessing.getAllStartMethods());
            }
            this.startMethod = startMethod;
            return this;
        }

        public Pool build() {
            return new Pool(this);
        }
    }

    // ---------------------------------------------------------------- submitting

    @Override
    public <R> R apply(SerializableCallable<R> task) {
        return applyAsync(task).get();
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
        return new AsyncResult<>(future);
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
        dispatch();
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
        dispatch();
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

    /** The pids of the current workers (for tests and monitoring). */
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

    private void startWorker() {
        ChildProcess child;
        try {
            boolean verify = ChildLauncher.get().mustVerifyStart();
            child = forkserver ? ForkServer.get().take() : ChildLauncher.get().launch(ChildLauncher.Mode.SPAWN);
            if (verify) {
                child.awaitConnected(); // a worker JVM that cannot start says why, at once
            }
        } catch (RuntimeException e) {
            abandonStart();
            throw e;
        }
        Slot slot = new Slot(child);
        boolean late;
        lock.lock();
        try {
            starting--;
            slots.add(slot);
            late = state == State.TERMINATED;   // terminate() ran while this one started: it goes too
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (late) {
            child.setListener(slot);
            child.terminate();
            return;
        }
        child.send(Frame.WORKER, 0, workerConfig);
        child.setListener(slot);
        wakeTaskThread();
    }

    /** Sends what can be sent; any thread but a worker's reader. */
    private void dispatch() {
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
            try {
                // One batch per worker, in assignment order.
                java.util.LinkedHashMap<Slot, List<Frame>> batches = new java.util.LinkedHashMap<>();
                for (Send s : sends) {
                    batches.computeIfAbsent(s.slot, k -> new ArrayList<>()).add(
                            new Frame(s.type, s.job == null ? 0 : s.job.id, s.job == null ? new byte[0] : s.job.payload));
                }
                batches.forEach((slot, frames) -> slot.child.sendAll(frames));
            } finally {
                lock.lock();
                try {
                    dispatching = false;
                    dispatchWanted = false;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private record Send(Slot slot, byte type, Job job) {}

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
            for (int depth = 1; depth <= window && !queue.isEmpty(); depth++) {
                for (Slot s : slots) {
                    if (queue.isEmpty()) {
                        break;
                    }
                    if (!s.stopSent && s.inFlight.size() < depth && (maxTasksPerChild == 0 || s.sent < maxTasksPerChild)) {
                        Job j = queue.poll();
                        s.inFlight.add(j);
                        s.sent++;
                        sends.add(new Send(s, Frame.TASK, j));
                    }
                }
            }
        }
        if (state != State.RUNNING && queue.isEmpty()) {
            for (Slot s : slots) {
                if (!s.stopSent && s.inFlight.isEmpty()) {
                    s.stopSent = true;
                    sends.add(new Send(s, Frame.STOP, null));
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

    /** Python's {@code _handle_tasks}: sends on behalf of the reader threads, which must not. */
    private void taskLoop() {
        while (true) {
            lock.lock();
            try {
                while (!dispatchWanted && state != State.TERMINATED && !(state != State.RUNNING && slots.isEmpty() && starting == 0)) {
                    changed.await();
                }
                if (state == State.TERMINATED || (state != State.RUNNING && slots.isEmpty() && starting == 0)) {
                    return;
                }
                dispatchWanted = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            dispatch();
        }
    }

    /** One worker: its child and the tasks sent to it, in order. */
    private final class Slot implements ChildProcess.Listener {
        final ChildProcess child;
        /** Guarded by the pool's lock: sent and unanswered, the first one running. */
        final ArrayDeque<Job> inFlight = new ArrayDeque<>();
        int sent;
        boolean ready;
        /** The worker said its initializer threw (it then exits 1). */
        boolean initFailed;
        boolean stopSent;

        Slot(ChildProcess child) {
            this.child = child;
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
                return;
            }
            if (f.type() != Frame.RESULT && f.type() != Frame.FAILURE) {
                return;
            }
            Job job;
            boolean more;
            lock.lock();
            try {
                job = inFlight.peek();
                if (job == null || job.id != f.id()) {
                    return; // terminated meanwhile: the job was already failed
                }
                inFlight.poll();
                more = !queue.isEmpty() || state != State.RUNNING;
                if (more) {
                    dispatchWanted = true;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
            if (f.type() == Frame.RESULT) {
                Object value;
                try {
                    value = Serial.fromBytes(f.payload());
                } catch (ClassNotFoundException | RuntimeException e) {
                    job.fail(new IllegalStateException("the task's result could not be read in this JVM", e), results);
                    return;
                }
                job.succeed(value, results);
            } else {
                Throwable t;
                try {
                    TaskFailure failure = Serial.read(f.payload());
                    t = failure.toThrowable();
                } catch (RuntimeException e) {
                    t = e;
                }
                job.fail(t, results);
            }
        }

        @Override
        public void onExit(ChildProcess c, int exitCode) {
            Job died = null;
            boolean replace;
            List<Job> giveUp = List.of();
            lock.lock();
            try {
                slots.remove(this);
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

        void succeed(Object value, ResultHandler results) {
            if (callback == null && errorCallback == null) {
                future.complete(value);
                return;
            }
            results.submit(() -> {
                try {
                    if (callback != null) {
                        callback.accept(value);
                    }
                } finally {
                    future.complete(value);
                }
            });
        }

        void fail(Throwable error, ResultHandler results) {
            if (callback == null && errorCallback == null) {
                future.completeExceptionally(error);
                return;
            }
            results.submit(() -> {
                try {
                    if (errorCallback != null) {
                        errorCallback.accept(error);
                    }
                } finally {
                    future.completeExceptionally(error);
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
