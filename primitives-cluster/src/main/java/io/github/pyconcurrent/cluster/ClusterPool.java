package io.github.pyconcurrent.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.durableexecutor.DurableExecutorService;
import com.hazelcast.spi.exception.TargetNotMemberException;
import io.github.pyconcurrent.multiprocessing.AsyncResult;
import io.github.pyconcurrent.multiprocessing.PoolLike;
import io.github.pyconcurrent.multiprocessing.PoolMaps;
import io.github.pyconcurrent.multiprocessing.SerializableCallable;
import io.github.pyconcurrent.multiprocessing.SerializableFunction;
import io.github.pyconcurrent.multiprocessing.WorkerDiedError;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A pool whose workers are the members of a {@link Cluster}: Ray's
 * {@code ray.util.multiprocessing.Pool}, with exactly the interface of the local
 * {@code multiprocessing.Pool} ({@link PoolLike}), so moving from child JVMs to a cluster is one line.
 *
 * <pre>{@code
 * try (PoolLike pool = cluster.pool()) {             // was: new Pool(5)
 *     pool.applyAsync(() -> 100 + n, v -> System.out.println("exec done: " + v));
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3), 1);
 * }   // every task done, every callback run
 * }</pre>
 *
 * <h2>Where tasks run</h2>
 * Tasks (the same {@code Serializable} lambdas as the local pool's) go to the data members in
 * turn and run on the member's executor threads (Hazelcast's executor {@value #EXECUTOR}, 16
 * threads per member by default). A task's classes must be on every member's class path and
 * admitted by the deserialization filter (the lambda's capturing class included). A client's
 * pool sends to the members; a member's pool sends to the others and itself.
 *
 * <h2>Callbacks</h2>
 * As the local pool's: callbacks and error callbacks run here, on the pool's result thread,
 * exactly one per task, before its {@link AsyncResult} turns ready. A task's failure reaches
 * {@code get()} as the cause of a {@link CompletionException}.
 *
 * <h2>A member that dies</h2>
 * {@link Delivery#AT_MOST_ONCE} (the default, Hazelcast's {@code IExecutorService}): a task
 * running on a member that dies or leaves fails with {@link WorkerDiedError} naming the member
 * and its pid; every other task completes. A task sent to a member that had already gone never
 * ran, and is sent to another. {@link Delivery#AT_LEAST_ONCE} (Hazelcast's
 * {@code DurableExecutorService}): the task is kept with a backup and re-run on the member that
 * takes over, so it completes but may run twice; choose it only for idempotent tasks. The
 * durable executor places a task by key rather than by turns, and its tasks cannot be cancelled.
 *
 * <h2>Closing</h2>
 * {@link #close()} stops taking tasks and waits until every submitted one has completed and its
 * callback ran; the members stay (they are the cluster's, not the pool's). {@link #terminate()}
 * cancels what is outstanding (its {@link AsyncResult}s fail with {@link CancellationException});
 * {@link #join()} waits after either.
 */
public final class ClusterPool implements PoolLike {
    private static final System.Logger LOG = System.getLogger(ClusterPool.class.getName());
    /** The name of the Hazelcast executor (and durable executor) pool tasks run on. */
    public static final String EXECUTOR = "pyconcurrent.pool";
    private static final AtomicInteger POOLS = new AtomicInteger();
    /** A task sent to a member that was already gone is re-sent at most this often. */
    private static final int MAX_RESENDS = 5;

    /** What happens to a task whose member dies. */
    public enum Delivery {
        /** Hazelcast's executor: the task fails with {@link WorkerDiedError}. */
        AT_MOST_ONCE,
        /** Hazelcast's durable executor: the task is re-run elsewhere (it may run twice). */
        AT_LEAST_ONCE
    }

    private enum State { RUNNING, CLOSED, TERMINATED }

    private final HazelcastInstance hazelcast;
    private final Delivery delivery;
    private final IExecutorService executor;
    private final DurableExecutorService durable;
    /** The result thread: runs callbacks and completes results, one at a time, in completion order. */
    private final ExecutorService results;
    /** The result thread once started (a callback that closes its own pool must not wait for itself). */
    private volatile Thread resultThread;
    /** Turns for choosing the next member. */
    private final AtomicLong turn = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the last outstanding task has finished. */
    private final Condition idle = lock.newCondition();
    // Guarded by lock.
    private State state = State.RUNNING;
    private final Set<Job<?>> outstanding = new LinkedHashSet<>();

    ClusterPool(HazelcastInstance hazelcast, Delivery delivery) {
        this.hazelcast = hazelcast;
        this.delivery = delivery;
        this.executor = delivery == Delivery.AT_MOST_ONCE ? hazelcast.getExecutorService(EXECUTOR) : null;
        this.durable = delivery == Delivery.AT_LEAST_ONCE ? hazelcast.getDurableExecutorService(EXECUTOR) : null;
        String name = "pyconcurrent-cluster-pool-" + POOLS.incrementAndGet() + "-results";
        this.results = Executors.newSingleThreadExecutor(r -> {
            Thread t = Thread.ofPlatform().daemon().name(name).unstarted(r);
            resultThread = t;
            return t;
        });
    }

    /**
     * Returns how this pool delivers its tasks.
     *
     * @return at most once, or at least once
     */
    public Delivery delivery() {
        return delivery;
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
        Job<R> job = new Job<>(task, callback, errorCallback);
        lock.lock();
        try {
            if (state != State.RUNNING) {
                throw new IllegalStateException("Pool not running (closed or terminated)");
            }
            outstanding.add(job);
        } finally {
            lock.unlock();
        }
        try {
            send(job, 0);
        } catch (RuntimeException e) {
            finish(job, null, e);
        }
        return AsyncResult.of(job.result);
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
     * Applies {@code fn} to every item, {@code chunksize} items per task (0 or less: Python's
     * default, the items divided by four times the members, rounded up); the list is in the
     * input's order, and the first failing chunk fails the whole map.
     */
    @Override
    public <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<T, R> fn, Iterable<T> iterable, int chunksize) {
        return PoolMaps.mapAsync(this::applyAsync, fn, iterable, chunksize, workers());
    }

    @Override
    public <T, R> Iterator<R> imap(SerializableFunction<T, R> fn, Iterable<T> iterable) {
        return imap(fn, iterable, 1);
    }

    /** A lazy {@code map}: chunks are submitted as results are consumed (a bounded number ahead); input order. */
    @Override
    public <T, R> Iterator<R> imap(SerializableFunction<T, R> fn, Iterable<T> iterable, int chunksize) {
        return PoolMaps.lazyMap(this::applyAsync, fn, iterable, chunksize, true, workers());
    }

    @Override
    public <T, R> Iterator<R> imapUnordered(SerializableFunction<T, R> fn, Iterable<T> iterable) {
        return imapUnordered(fn, iterable, 1);
    }

    /** As {@link #imap}, in the order results complete. */
    @Override
    public <T, R> Iterator<R> imapUnordered(SerializableFunction<T, R> fn, Iterable<T> iterable, int chunksize) {
        return PoolMaps.lazyMap(this::applyAsync, fn, iterable, chunksize, false, workers());
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

    // ---------------------------------------------------------------- sending and finishing

    private List<Member> dataMembers() {
        return hazelcast.getCluster().getMembers().stream().filter(m -> !m.isLiteMember()).toList();
    }

    private int workers() {
        return Math.max(1, dataMembers().size());
    }

    /** Sends {@code job} to the next member in turn (or by key, for the durable executor). */
    private <R> void send(Job<R> job, int resends) {
        CompletionStage<R> stage;
        Member member = null;
        if (delivery == Delivery.AT_LEAST_ONCE) {
            var f = durable.submitToKeyOwner(job.task, turn.getAndIncrement());
            job.remote = f;
            stage = f;
        } else {
            List<Member> members = dataMembers();
            if (members.isEmpty()) {
                throw new IllegalStateException("the cluster has no member to run the task");
            }
            member = members.get((int) Math.floorMod(turn.getAndIncrement(), (long) members.size()));
            Future<R> f = executor.submitToMember(job.task, member);
            job.remote = f;
            @SuppressWarnings("unchecked") // Hazelcast's futures are CompletableFutures
            CompletionStage<R> completion = (CompletionStage<R>) f;
            stage = completion;
        }
        Member target = member;
        stage.whenComplete((value, error) -> {
            Throwable cause = ClassNotAllowedException.translated(unwrap(error));
            if (cause instanceof TargetNotMemberException && resends < MAX_RESENDS && running()) {
                // The member had gone before it got the task: it never ran, so another may run it.
                try {
                    send(job, resends + 1);
                    return;
                } catch (RuntimeException e) {
                    cause = e;
                }
            }
            if (cause instanceof MemberLeftException && target != null) {
                LOG.log(System.Logger.Level.WARNING, "cluster member " + target.getAddress() + " left while running a pool task; the task fails with WorkerDiedError");
                cause = died(target, cause);
            }
            finish(job, value, cause);
        });
    }

    private boolean running() {
        lock.lock();
        try {
            return state != State.TERMINATED;
        } finally {
            lock.unlock();
        }
    }

    private static WorkerDiedError died(Member member, Throwable cause) {
        String pidText = member.getAttribute(SafeConfig.PID_ATTRIBUTE);
        long pid = pidText == null ? -1 : Long.parseLong(pidText);
        WorkerDiedError e = new WorkerDiedError("cluster member " + member.getAddress() + " (pid " + pid
                + ") left the cluster while running the task", pid, WorkerDiedError.EXIT_UNKNOWN);
        e.initCause(cause);
        return e;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Runs the task's one callback on the result thread, then completes its result; once per task. */
    private <R> void finish(Job<R> job, R value, Throwable error) {
        if (!job.finished.compareAndSet(false, true)) {
            return;
        }
        Runnable last = () -> {
            try {
                if (error == null) {
                    if (job.callback != null) {
                        job.callback.accept(value);
                    }
                } else if (job.errorCallback != null) {
                    job.errorCallback.accept(error);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a pool callback threw; the pool goes on", e);
            } finally {
                if (error == null) {
                    job.result.complete(value);
                } else {
                    job.result.completeExceptionally(error);
                }
                lock.lock();
                try {
                    outstanding.remove(job);
                    if (outstanding.isEmpty()) {
                        idle.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
            }
        };
        results.execute(last);
    }

    // ---------------------------------------------------------------- closing

    @Override
    public void close() {
        lock.lock();
        try {
            if (state == State.RUNNING) {
                state = State.CLOSED;
            }
        } finally {
            lock.unlock();
        }
        join();
    }

    @Override
    public void terminate() {
        List<Job<?>> victims;
        lock.lock();
        try {
            if (state == State.TERMINATED) {
                return;
            }
            state = State.TERMINATED;
            victims = new ArrayList<>(outstanding);
        } finally {
            lock.unlock();
        }
        CancellationException cancelled = new CancellationException("the pool was terminated");
        for (Job<?> j : victims) {
            Future<?> remote = j.remote;
            if (remote != null && delivery == Delivery.AT_MOST_ONCE) {
                try {
                    remote.cancel(true);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "cancelling a pool task failed", e);
                }
            }
            finish(j, null, cancelled);
        }
    }

    @Override
    public void join() {
        lock.lock();
        try {
            if (state == State.RUNNING) {
                throw new IllegalStateException("Pool is still running: close() or terminate() it first");
            }
            if (Thread.currentThread() == resultThread) {
                // A callback closing its own pool: it cannot wait for its own task; the rest finish after it.
                results.shutdown();
                return;
            }
            while (!outstanding.isEmpty()) {
                idle.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedInterruptedException(e);
        } finally {
            lock.unlock();
        }
        results.shutdown();
    }

    /** A submitted task, its result and its callbacks. */
    private static final class Job<R> {
        final SerializableCallable<R> task;
        final Consumer<R> callback;
        final Consumer<Throwable> errorCallback;
        final CompletableFuture<R> result = new CompletableFuture<>();
        /** Set once the one callback is scheduled: later outcomes (a result after terminate) are ignored. */
        final AtomicBoolean finished = new AtomicBoolean();
        /** Hazelcast's future, for cancelling; set by the sending thread. */
        volatile Future<?> remote;

        Job(SerializableCallable<R> task, Consumer<R> callback, Consumer<Throwable> errorCallback) {
            this.task = task;
            this.callback = callback;
            this.errorCallback = errorCallback;
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "<ClusterPool " + delivery + " state=" + state + " outstanding=" + outstanding.size() + ">";
        } finally {
            lock.unlock();
        }
    }
}
