package io.github.pyconcurrent.futures;

import io.github.pyconcurrent.multiprocessing.Multiprocessing;
import io.github.pyconcurrent.multiprocessing.Pool;
import io.github.pyconcurrent.multiprocessing.SerializableRunnable;
import java.util.List;

/**
 * A pool of worker JVMs that run submitted tasks: Python's
 * {@code concurrent.futures.ProcessPoolExecutor}, and a {@link java.util.concurrent.ExecutorService}.
 *
 * <pre>{@code
 * try (ProcessPoolExecutor executor = new ProcessPoolExecutor(4)) {    // with ProcessPoolExecutor(4) as executor:
 *     List<Future<Integer>> fs = new ArrayList<>();
 *     for (int n : numbers) {
 *         fs.add(executor.submit(() -> crunch(n)));                   // a serializable lambda
 *     }
 *     for (Iterator<Future<Integer>> it = Futures.asCompleted(fs); it.hasNext(); ) {
 *         System.out.println(it.next().result());
 *     }
 * }
 * }</pre>
 *
 * <p>It runs on a {@link Pool}: the same child JVMs (started with the start method given here, else
 * the one in effect), the same transport and dispatch, the same handling of a dead worker. See
 * {@link PoolExecutor} for what a task must be (serializable: refused at {@code submit} otherwise,
 * including {@code CompletableFuture.supplyAsync}'s internal task), when a task counts as running,
 * and the deliberate difference from CPython: a worker that dies fails only its own future with
 * {@link io.github.pyconcurrent.multiprocessing.WorkerDiedError}; there is no
 * {@code BrokenProcessPool}, and the executor goes on.
 *
 * <p>Compared with CPython: the workers are started with the executor, not on demand; the
 * initializer failing in every worker makes the pool refuse tasks (their futures fail with
 * {@link IllegalStateException}) rather than raising {@code BrokenProcessPool}.
 */
public class ProcessPoolExecutor extends PoolExecutor {
    private final Pool processPool;
    private final int maxWorkers;

    /**
     * Python's {@code ProcessPoolExecutor(max_workers)}.
     *
     * @param maxWorkers the number of worker JVMs; 0 for the default (the number of processors, as Python)
     * @throws IllegalArgumentException if {@code maxWorkers} is negative
     */
    public ProcessPoolExecutor(int maxWorkers) {
        this(builder().maxWorkers(maxWorkers));
    }

    /** Python's {@code ProcessPoolExecutor()}: one worker per CPU. */
    public ProcessPoolExecutor() {
        this(builder());
    }

    private ProcessPoolExecutor(Builder b) {
        this(b, b.maxWorkers > 0 ? b.maxWorkers : Multiprocessing.cpuCount());
    }

    private ProcessPoolExecutor(Builder b, int workers) {
        this(b.toPool(workers), workers);
    }

    private ProcessPoolExecutor(Pool pool, int workers) {
        super(pool, workers * TASKS_AHEAD_PER_WORKER);
        this.processPool = pool;
        this.maxWorkers = workers;
    }

    /**
     * {@code ProcessPoolExecutor.builder().maxWorkers(4).startMethod("spawn").initializer(...).maxTasksPerChild(100).build()}.
     *
     * @return a new builder with every setting at its default
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Python's {@code ProcessPoolExecutor(max_workers, mp_context, initializer, initargs, max_tasks_per_child)}. */
    public static final class Builder extends ExecutorBuilder<Builder, SerializableRunnable> {
        private String startMethod;
        private int maxTasksPerChild;

        private Builder() {}

        /**
         * {@code "spawn"} or {@code "forkserver"} (Python's {@code mp_context}); not set: the one in effect.
         *
         * @param startMethod {@code "spawn"} or {@code "forkserver"}
         * @return this builder
         * @throws IllegalArgumentException if {@code startMethod} is not a start method of this platform
         */
        public Builder startMethod(String startMethod) {
            if (!Multiprocessing.getAllStartMethods().contains(startMethod)) {
                throw new IllegalArgumentException("cannot find context for '" + startMethod + "'; the start methods are "
                        + Multiprocessing.getAllStartMethods());
            }
            this.startMethod = startMethod;
            return this;
        }

        /**
         * A worker exits after this many tasks and is replaced; 0: never. Negative: {@link IllegalArgumentException}.
         *
         * @param maxTasksPerChild the tasks a worker runs before it is replaced; 0 for never
         * @return this builder
         * @throws IllegalArgumentException if {@code maxTasksPerChild} is negative
         */
        public Builder maxTasksPerChild(int maxTasksPerChild) {
            if (maxTasksPerChild < 0) {
                throw new IllegalArgumentException("maxTasksPerChild must be >= 1 (or 0 for never), got " + maxTasksPerChild);
            }
            this.maxTasksPerChild = maxTasksPerChild;
            return this;
        }

        /**
         * Builds the executor and starts its worker JVMs.
         *
         * @return a new executor with this builder's settings
         */
        public ProcessPoolExecutor build() {
            return new ProcessPoolExecutor(this);
        }

        private Pool toPool(int workers) {
            Pool.Builder b = Pool.builder().processes(workers).initializer(initializer).maxTasksPerChild(maxTasksPerChild);
            if (startMethod != null) {
                b.startMethod(startMethod);
            }
            return b.build();
        }
    }

    /**
     * The number of worker JVMs.
     *
     * @return the number of worker JVMs
     */
    public int maxWorkers() {
        return maxWorkers;
    }

    /**
     * The pids of the current worker JVMs (for tests and monitoring).
     *
     * @return the pids of the current worker JVMs
     */
    public List<Long> workerPids() {
        return processPool.workerPids();
    }

    @Override
    public String toString() {
        return "ProcessPoolExecutor[" + processPool + ", maxWorkers=" + maxWorkers + "]";
    }
}
