package io.github.pyconcurrent.multiprocessing;

import java.io.Serializable;

/**
 * A simplified queue shared between processes: Python's {@code multiprocessing.SimpleQueue}, with
 * {@code put}, {@code get}, {@code empty} and {@code close}. Items are any
 * {@link java.io.Serializable} objects.
 *
 * <pre>{@code
 * SimpleQueue<Integer> q = new SimpleQueue<>();
 * new Process(() -> q.put(42)).start();
 * int answer = q.get();
 * }</pre>
 *
 * <p>As in Python (where it writes straight into a pipe), {@code put} blocks while the ring is
 * full, and there is no feeder thread, no size limit in items and no timeout; the ring is the one
 * of {@link Queue} (same layout, same robustness, same property {@code pyconcurrent.queue.ringBytes},
 * and an item bigger than the ring throws {@link IllegalArgumentException}). After {@link #close()}
 * this JVM's {@code put} and {@code get} throw {@link IllegalStateException}.
 *
 * <p>Memory consistency: actions before a {@code put} happen-before actions after the {@code get}
 * that returns its item, in any process.
 *
 * <p>{@link Serializable} as a handle to the same queue, as {@link Queue}.
 *
 * @param <T> the item type
 */
public final class SimpleQueue<T> implements Serializable, AutoCloseable {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    /** A plain bounded-by-bytes queue under the hood: maxsize 0 but never buffering (see {@link #put}). */
    private final transient Queue<T> queue;

    /** A new, empty queue in shared memory: Python's {@code SimpleQueue()}. */
    public SimpleQueue() {
        this(new Queue<>(0));
    }

    private SimpleQueue(Queue<T> queue) {
        this.queue = queue;
    }

    /**
     * Puts {@code item}, waiting while the ring has no room for it.
     *
     * @param item the item; it must be serializable
     * @throws IllegalStateException if this JVM closed the queue
     */
    public void put(T item) {
        queue.checkOpen();
        byte[] bytes = Serial.toBytes(item);
        queue.ring.put(bytes, 0, -1, -1);
    }

    /**
     * Removes and returns the oldest item, waiting for one.
     *
     * @return the oldest item, deserialized in this JVM
     * @throws IllegalStateException if this JVM closed the queue
     */
    public T get() {
        return queue.get();
    }

    /**
     * Whether the queue holds no item now.
     *
     * @return true if the queue holds no item now; at once out of date when other processes use it
     */
    public boolean empty() {
        return queue.empty();
    }

    /** This JVM will not use the queue any more; idempotent. */
    @Override
    public void close() {
        queue.close();
    }

    @Override
    public String toString() {
        return "SimpleQueue[" + queue.ring.name() + "]";
    }

    /**
     * Travels as a handle to the same queue.
     *
     * @return the handle that is serialized in this queue's place
     */
    @java.io.Serial
    private Object writeReplace() {
        return new Handle(queue);
    }

    private record Handle(Queue<?> queue) implements Serializable {
        @java.io.Serial
        @SuppressWarnings({"unchecked", "rawtypes"})
        private Object readResolve() {
            return new SimpleQueue(queue);
        }
    }
}
