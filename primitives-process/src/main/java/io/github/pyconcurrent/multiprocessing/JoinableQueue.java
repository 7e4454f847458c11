package io.github.pyconcurrent.multiprocessing;


/**
 * A {@link Queue} that counts unfinished tasks across processes: Python's
 * {@code multiprocessing.JoinableQueue}. Every {@code put} adds one; a consumer calls
 * {@link #taskDone()} when it has finished with an item it got; {@link #join()} waits until the
 * count is back to zero.
 *
 * <pre>{@code
 * JoinableQueue<Job> jobs = new JoinableQueue<>();
 * // each worker process: while (true) { Job j = jobs.get(); run(j); jobs.taskDone(); }
 * for (Job j : work) jobs.put(j);
 * jobs.join();                                 // every job has been task-done, by any process
 * }</pre>
 *
 * <p>{@code taskDone()} called more times than items were put throws
 * {@link IllegalArgumentException} (Python's ValueError) and changes nothing. The count lives in
 * the queue's segment; {@code join()} sleeps on a shared futex. As in Python, a consumer that dies
 * between {@code get} and {@code taskDone} leaves the count above zero, so {@code join()} then waits
 * until someone calls {@code taskDone()} for it; a producer killed within a few instructions of a
 * {@code put} can leave one count for an item that never arrived.
 *
 * <p>Memory consistency: actions before a {@code taskDone()} that brings the count to zero
 * happen-before the return of a {@code join()} that observes it, in any process.
 *
 * @param <T> the item type
 */
public final class JoinableQueue<T> extends Queue<T> {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    /** An unbounded joinable queue. */
    public JoinableQueue() {
        super();
    }

    /**
     * A joinable queue of at most {@code maxsize} items ({@code <= 0}: unbounded).
     *
     * @param maxsize the most items the queue holds; 0 or less: unbounded
     */
    public JoinableQueue(int maxsize) {
        super(maxsize);
    }

    JoinableQueue(int maxsize, int ringBytes) {
        super(maxsize, ringBytes);
    }

    JoinableQueue(Ring ring) {
        super(ring);
    }

    /** One item got from this queue has been processed (Python's {@code task_done()}). */
    public void taskDone() {
        checkOpen();
        if (!ring.taskDone()) {
            throw new IllegalArgumentException("task_done() called too many times");
        }
    }

    /** Waits until every item put (by any process) has been task-done. */
    public void join() {
        checkOpen();
        ring.join();
    }

    @Override
    void beforePut() {
        ring.addUnfinished(1);
    }

    @Override
    void putFailed() {
        ring.addUnfinished(-1);
    }
}
