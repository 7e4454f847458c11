package io.github.pyconcurrent.cluster;

import com.hazelcast.collection.IQueue;
import io.github.pyconcurrent.multiprocessing.Queue;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A FIFO queue shared by every member and client of a {@link Cluster}: Python's
 * {@code manager.Queue()}, with the API of the multiprocessing {@link Queue} (and its
 * {@link Queue.Empty} / {@link Queue.Full}), on Hazelcast's {@code IQueue}.
 *
 * <pre>{@code
 * ClusterQueue<String> jobs = cluster.queue("jobs");
 * jobs.put("resize:42");                              // any member or client
 * String next = jobs.get(Duration.ofSeconds(1));      // Queue.Empty if none came
 * }</pre>
 *
 * <p>Items are stored on one member with {@link ClusterOptions#backupCount()} synchronous backups,
 * so losing one member loses no item. Items must be serializable and admitted by the cluster's
 * deserialization filter; {@code null} is refused ({@link NullPointerException}), as
 * {@code IQueue} refuses it. {@link #close()} is Python's: this handle puts no more (a later
 * {@code put} throws {@link IllegalStateException}); the queue itself lives on in the cluster.
 *
 * <p>Memory consistency: actions before a {@code put} happen-before actions after the
 * {@code get} that returns that item, in whichever JVM.
 *
 * @param <T> the type of the items
 */
public final class ClusterQueue<T> implements AutoCloseable {
    private final IQueue<T> queue;
    private final int maxsize;
    /** Set once by close(); read by every put. */
    private volatile boolean closed;

    ClusterQueue(IQueue<T> queue, int maxsize) {
        this.queue = queue;
        this.maxsize = maxsize;
    }

    /**
     * Puts {@code item}, waiting for room if the queue is bounded and full.
     *
     * @param item the item, not null
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException if this handle is closed
     * @throws UncheckedInterruptedException if the calling thread is interrupted while it waits
     */
    public void put(T item) {
        checkOpen(item);
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /**
     * Puts {@code item}, waiting at most {@code timeout} for room; {@link Queue.Full} if there was none.
     *
     * @param item the item, not null
     * @param timeout how long to wait for room at most
     * @throws Queue.Full if there was no room within {@code timeout}
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException if this handle is closed
     * @throws UncheckedInterruptedException if the calling thread is interrupted while it waits
     */
    public void put(T item, Duration timeout) {
        checkOpen(item);
        try {
            if (!queue.offer(item, Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS)) {
                throw new Queue.Full();
            }
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /**
     * Puts {@code item} only if there is room now; else {@link Queue.Full}.
     *
     * @param item the item, not null
     * @throws Queue.Full if there is no room now
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException if this handle is closed
     */
    public void putNowait(T item) {
        checkOpen(item);
        if (!queue.offer(item)) {
            throw new Queue.Full();
        }
    }

    /**
     * Removes and returns the oldest item, waiting for one.
     *
     * @return the oldest item
     * @throws UncheckedInterruptedException if the calling thread is interrupted while it waits
     */
    public T get() {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /**
     * Removes and returns the oldest item, waiting at most {@code timeout}; {@link Queue.Empty} if none came.
     *
     * @param timeout how long to wait for an item at most
     * @return the oldest item
     * @throws Queue.Empty if no item came within {@code timeout}
     * @throws UncheckedInterruptedException if the calling thread is interrupted while it waits
     */
    public T get(Duration timeout) {
        try {
            T item = queue.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            if (item == null) {
                throw new Queue.Empty();
            }
            return item;
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /**
     * Removes and returns the oldest item if there is one now; else {@link Queue.Empty}.
     *
     * @return the oldest item
     * @throws Queue.Empty if the queue is empty now
     */
    public T getNowait() {
        T item = queue.poll();
        if (item == null) {
            throw new Queue.Empty();
        }
        return item;
    }

    /**
     * Whether the queue is empty (a snapshot: others may put or get meanwhile, as in Python).
     *
     * @return true if the queue held no item when asked
     */
    public boolean empty() {
        return queue.isEmpty();
    }

    /**
     * The number of items (a snapshot).
     *
     * @return the number of items when asked
     */
    public int qsize() {
        return queue.size();
    }

    /**
     * The bound given when the queue was made; 0: unbounded.
     *
     * @return the most items the queue holds, 0 for no bound
     */
    public int maxsize() {
        return maxsize;
    }

    /** This handle puts no more; the queue and its items stay in the cluster. */
    @Override
    public void close() {
        closed = true;
    }

    /**
     * Returns whether this handle was closed (it puts no more).
     *
     * @return true after {@link #close()}
     */
    public boolean closed() {
        return closed;
    }

    /**
     * Returns the queue's name in the cluster.
     *
     * @return the name given to {@link Cluster#queue(String)}
     */
    public String name() {
        return queue.getName();
    }

    private void checkOpen(T item) {
        Objects.requireNonNull(item, "a cluster queue holds no null");
        if (closed) {
            throw new IllegalStateException("Queue " + queue.getName() + " is closed");
        }
    }

    private static UncheckedInterruptedException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new UncheckedInterruptedException(e);
    }

    @Override
    public String toString() {
        return "<ClusterQueue " + queue.getName() + " maxsize=" + maxsize + ">";
    }
}
