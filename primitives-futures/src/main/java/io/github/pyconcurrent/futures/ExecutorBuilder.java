package io.github.pyconcurrent.futures;

/**
 * What the executors' builders ({@link ThreadPoolExecutor.Builder}, {@link ProcessPoolExecutor.Builder})
 * share: Python's {@code max_workers} and {@code initializer} arguments, checked as Python checks them.
 *
 * @param <B> the builder itself, so that calls chain
 * @param <I> the initializer's type: a {@link Runnable} for threads, a
 *            {@link io.github.pyconcurrent.multiprocessing.SerializableRunnable} for worker JVMs
 */
abstract class ExecutorBuilder<B extends ExecutorBuilder<B, I>, I> {
    int maxWorkers;
    I initializer;

    ExecutorBuilder() {}

    /**
     * At most this many workers (threads, or worker JVMs).
     *
     * @param maxWorkers how many; 0 for the executor's default ({@code min(32, cpus + 4)} threads,
     *        or one worker JVM per CPU)
     * @return this builder
     * @throws IllegalArgumentException if {@code maxWorkers} is negative (Python's {@code ValueError})
     */
    public B maxWorkers(int maxWorkers) {
        if (maxWorkers < 0) {
            throw new IllegalArgumentException("maxWorkers must be greater than 0 (or 0 for the default), got " + maxWorkers);
        }
        this.maxWorkers = maxWorkers;
        return self();
    }

    /**
     * Runs in each worker before its first task (Python's {@code initializer(*initargs)}).
     *
     * @param initializer what to run; null for nothing
     * @return this builder
     */
    public B initializer(I initializer) {
        this.initializer = initializer;
        return self();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this; // B is this builder's own class (see the type parameter)
    }
}
