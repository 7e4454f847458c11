package io.github.pyconcurrent.multiprocessing;

import io.github.pyconcurrent.shared.internal.ProcessIdentity;
import java.io.Serializable;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A FIFO queue shared between processes (JVMs): Python's {@code multiprocessing.Queue}. Items are
 * any {@link java.io.Serializable} objects; each {@code put} serializes its item ({@code Serial},
 * the module's one filtered codec) into a ring of bytes in {@code /dev/shm}, each {@code get}
 * deserializes one.
 *
 * <pre>{@code
 * try (Queue<String> q = new Queue<>()) {
 *     Process p = new Process(() -> q.put("hello from " + ProcessHandle.current().pid()));
 *     p.start();
 *     System.out.println(q.get());          // blocks until the child has put
 *     p.join();
 * }
 * }</pre>
 *
 * <p>Like Python: {@code get()} and {@code put()} block, the timed forms and {@code getNowait()} /
 * {@code putNowait()} throw {@link Empty} / {@link Full}; {@code maxsize <= 0} means unbounded and
 * then {@code put} never blocks: an item that does not fit in the ring right now is kept in this
 * JVM and written by a feeder thread as room appears (CPython buffers every item so). Items put
 * by one thread arrive in the order they were put; items of different processes interleave.
 * {@link #qsize()} counts the items in the ring plus those this JVM still buffers, {@link #empty()}
 * only looks at the ring; both are snapshots (as in Python). {@link #close()} says this JVM will use
 * the queue no more: afterwards {@code put} and {@code get} throw {@link IllegalStateException}
 * (Python's ValueError); buffered items are still flushed. At JVM exit buffered items are flushed
 * too, as CPython joins its feeder thread, but only while some other live process holds the queue
 * (nobody else could ever read them).
 *
 * <p>Deliberate differences: a bounded queue ({@code maxsize > 0}) counts items as Python does,
 * and its {@code put} also waits when the ring has no room for the bytes (a few MiB, see below).
 * Items of any size travel: one larger than a quarter of the ring ({@code pyconcurrent.queue.ringBytes},
 * default 4 MiB) is streamed through it in pieces while a reader gathers them (see {@link Ring});
 * a timed or non-blocking put of one waits only for room for its first piece. Python's
 * {@code join_thread()} and {@code cancel_join_thread()} are not offered.
 *
 * <p>Robustness (beyond CPython, where a process killed while holding the queue's lock wedges
 * every other user): an item is published with one atomic store once it is completely written,
 * and freed with one once it is completely read, so a process killed at any point leaves neither a
 * torn item nor a lost one (an item whose reader was killed mid-copy goes to the next reader); a
 * process killed holding the ring's read or write lock loses it within about 100 ms
 * ({@code pyconcurrent.shared.ownerCheckMillis}). Waiting spins briefly, then sleeps on a shared
 * futex (see {@link QueueTuning}).
 *
 * <p>Memory consistency: actions in a thread (of any process) before it puts an item
 * happen-before actions after the {@code get} that returns that item, in any process.
 *
 * <p>{@link Serializable} as a handle: deserialized in another JVM (a lambda run by a
 * {@code Process} that captured it) it is attached to the same queue; within one JVM every copy of
 * a handle is the same open object. The segment belongs to the JVM that created the queue: it is
 * unlinked by that JVM's {@code close()} or exit (processes already attached keep working), and a
 * queue never closed in its creator lives until the creator exits or drops the queue. If someone
 * else deletes the file from {@code /dev/shm}, the processes already attached keep using the queue
 * and lose nothing, but no other process can attach: handing the queue to one (serializing it)
 * throws {@link IllegalStateException} naming the file.
 *
 * @param <T> the item type
 */
public sealed class Queue<T> implements Serializable, AutoCloseable permits JoinableQueue {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    /** The open queue objects of this JVM by segment name, so every copy of a handle is one object. */
    private static final ConcurrentHashMap<String, WeakReference<Queue<?>>> LOCAL = new ConcurrentHashMap<>();

    /** Python's {@code queue.Empty}: a timed or non-blocking get found nothing. */
    public static class Empty extends RuntimeException {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        /** A queue.Empty with the message {@code "queue is empty"}. */
        public Empty() {
            super("queue is empty");
        }
    }

    /** Python's {@code queue.Full}: a timed or non-blocking put found no room. */
    public static class Full extends RuntimeException {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        /** A queue.Full with the message {@code "queue is full"}. */
        public Full() {
            super("queue is full");
        }
    }

    final transient Ring ring;
    private final transient int maxsize;
    private final transient Attachment attachment;
    private transient volatile boolean closed;

    /** Items this JVM could not write yet (unbounded queues only), oldest first; the lock of the feeder state. */
    private final transient ArrayDeque<byte[]> backlog = new ArrayDeque<>();
    private transient Thread feeder;
    private final transient Runnable flushAtExit = this::flushAtExit;

    /** An unbounded queue. */
    public Queue() {
        this(0);
    }

    /**
     * A queue holding at most {@code maxsize} items; {@code maxsize <= 0}: unbounded (as Python).
     *
     * @param maxsize the most items the queue holds; 0 or less: unbounded
     */
    public Queue(int maxsize) {
        this(maxsize, QueueTuning.QUEUE_RING_BYTES);
    }

    /** With a ring of {@code ringBytes} (a power of two): for tests of wrapping and limits. */
    Queue(int maxsize, int ringBytes) {
        this(Ring.create("queue", ringBytes), Math.max(0, maxsize), true);
    }

    private Queue(Ring ring, int maxsize, boolean created) {
        if (created) {
            ring.buf.putInt(RingLayout.MAXSIZE, maxsize);
        }
        this.ring = ring;
        this.maxsize = ring.buf.getInt(RingLayout.MAXSIZE);
        this.attachment = new Attachment(this, new Ring[] {ring}, new int[] {Ring.WRITERS});
        LOCAL.put(ring.name(), new WeakReference<>(this));
    }

    /** Attaches to an existing queue's ring in this JVM (handle deserialization). */
    Queue(Ring ring) {
        this(ring, 0, false);
    }

    /**
     * Puts {@code item}, waiting for room in a bounded queue (an unbounded queue never waits).
     *
     * @param item the item; it must be serializable
     * @throws IllegalStateException if this JVM closed the queue
     */
    public void put(T item) {
        put(item, -1);
    }

    /**
     * Puts {@code item}, waiting at most {@code timeout} for room; {@link Full} if there was none.
     *
     * @param item the item; it must be serializable
     * @param timeout how long to wait for room; null waits forever, zero or negative not at all
     * @throws Full if there was no room within {@code timeout}
     * @throws IllegalStateException if this JVM closed the queue
     */
    public void put(T item, Duration timeout) {
        put(item, nanos(timeout));
    }

    /**
     * Puts {@code item} only if there is room now; else {@link Full}.
     *
     * @param item the item; it must be serializable
     * @throws Full if there is no room now
     * @throws IllegalStateException if this JVM closed the queue
     */
    public void putNowait(T item) {
        put(item, 0);
    }

    /**
     * Removes and returns the oldest item, waiting for one.
     *
     * @return the oldest item, deserialized in this JVM
     * @throws IllegalStateException if this JVM closed the queue
     */
    public T get() {
        return get(-1);
    }

    /**
     * Removes and returns the oldest item, waiting at most {@code timeout}; {@link Empty} if none
     * came.
     *
     * @param timeout how long to wait for an item; null waits forever, zero or negative not at all
     * @return the oldest item
     * @throws Empty if no item came within {@code timeout}
     * @throws IllegalStateException if this JVM closed the queue
     */
    public T get(Duration timeout) {
        return get(nanos(timeout));
    }

    /**
     * Removes and returns the oldest item if there is one now; else {@link Empty}.
     *
     * @return the oldest item
     * @throws Empty if the queue holds none now
     * @throws IllegalStateException if this JVM closed the queue
     */
    public T getNowait() {
        return get(0);
    }

    /**
     * Whether the ring holds no item now (items still buffered by some JVM's feeder are not seen).
     *
     * @return true if the ring holds no item now; at once out of date when other processes use the
     *     queue
     * @throws IllegalStateException if this JVM closed the queue
     */
    public boolean empty() {
        checkOpen();
        return ring.isEmpty();
    }

    /**
     * The approximate number of items: those in the ring plus those this JVM still buffers.
     *
     * @return the number of items in the ring plus those this JVM still buffers; approximate, as
     *     Python's
     * @throws IllegalStateException if this JVM closed the queue
     */
    public int qsize() {
        checkOpen();
        int buffered;
        synchronized (backlog) {
            buffered = backlog.size();
        }
        return ring.count() + buffered;
    }

    /**
     * The maximum number of items (0: unbounded).
     *
     * @return the most items the queue holds, or 0 if it is unbounded
     */
    public int maxsize() {
        return maxsize;
    }

    /**
     * This JVM will not use the queue any more (Python's {@code close()}); idempotent. Items this
     * JVM still buffers are written by its feeder before the queue is released here.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOCAL.computeIfPresent(ring.name(), (n, ref) -> ref.get() == this ? null : ref);
        synchronized (backlog) {
            if (feeder != null) {
                return;   // the feeder releases when it has flushed
            }
        }
        attachment.release();
    }

    /**
     * Whether {@link #close()} was called in this JVM.
     *
     * @return true once {@link #close()} was called in this JVM
     */
    public boolean closed() {
        return closed;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + ring.name() + (maxsize > 0 ? ", maxsize " + maxsize : "")
                + (closed ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------- mechanics

    void put(T item, long timeoutNanos) {
        checkOpen();
        byte[] bytes = Serial.toBytes(item);
        beforePut();
        boolean done = false;
        try {
            if (maxsize == 0) {
                putUnbounded(bytes);
                done = true;
            } else {
                done = ring.put(bytes, maxsize, timeoutNanos, -1) == Ring.READY;
                if (!done) {
                    throw new Full();
                }
            }
        } finally {
            if (!done) {
                putFailed();
            }
        }
    }

    /** Hook for {@link JoinableQueue}: an item is about to be put. */
    void beforePut() {
    }

    /** Hook for {@link JoinableQueue}: the put announced by {@link #beforePut()} did not happen. */
    void putFailed() {
    }

    T get(long timeoutNanos) {
        checkOpen();
        byte[] bytes = timeoutNanos == 0 ? ring.tryTake() : ring.take(timeoutNanos, -1);
        if (bytes == null) {
            throw new Empty();
        }
        return Serial.read(bytes);
    }

    private void putUnbounded(byte[] bytes) {
        synchronized (backlog) {
            if (backlog.isEmpty() && ring.tryPut(bytes, 0)) {
                return;
            }
            backlog.addLast(bytes);
            if (feeder == null) {
                Attachment.flushAtExit(flushAtExit, true);
                feeder = Thread.ofPlatform().daemon().name("pyconcurrent-queue-feeder-" + ring.name()).start(this::feed);
            }
        }
    }

    /** The feeder thread: writes the backlog in order, waiting for room; ends when it is empty. */
    private void feed() {
        while (true) {
            byte[] next;
            synchronized (backlog) {
                next = backlog.peekFirst();
                if (next == null) {
                    feeder = null;
                    backlog.notifyAll();
                    Attachment.flushAtExit(flushAtExit, false);
                    if (closed) {
                        attachment.release();
                    }
                    return;
                }
            }
            if (ring.put(next, 0, -1, -1) == Ring.READY) {
                synchronized (backlog) {
                    backlog.pollFirst();
                }
            }
        }
    }

    /** At exit: waits for the feeder to flush while another live process holds the queue. */
    private void flushAtExit() {
        synchronized (backlog) {
            while (feeder != null && !backlog.isEmpty()) {
                if (!ring.anyHolder(Ring.WRITERS, true, ProcessIdentity.SELF)) {
                    return;
                }
                try {
                    backlog.wait(Math.max(1, QueueTuning.CHECK_NANOS / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /** Python's reading of a queue timeout: null waits forever, a negative one does not wait. */
    static long nanos(Duration timeout) {
        if (timeout == null) {
            return -1;
        }
        if (timeout.isNegative() || timeout.isZero()) {
            return 0;
        }
        return timeout.getSeconds() >= 100L * 365 * 24 * 3600 ? -1 : timeout.toNanos();
    }

    /**
     * Travels as a handle: the segment's name; the receiver attaches to the same ring.
     *
     * @return the handle that is serialized in this queue's place
     * @throws IllegalStateException if this JVM closed the queue, or its segment can no longer be
     *     attached to
     */
    @java.io.Serial
    Object writeReplace() {
        checkOpen();
        ring.checkAttachable();
        ring.serialized(Ring.WRITERS);
        return new Handle(ring.name(), this instanceof JoinableQueue);
    }

    /** The open queue of this JVM for {@code name}, attaching to it on first use. */
    static Queue<?> local(String name, boolean joinable) {
        while (true) {
            WeakReference<Queue<?>> ref = LOCAL.get(name);
            Queue<?> q = ref == null ? null : ref.get();
            if (q != null && !q.closed) {
                q.ring.deserialized(Ring.WRITERS);
                return q;
            }
            synchronized (LOCAL) {
                ref = LOCAL.get(name);
                q = ref == null ? null : ref.get();
                if (q == null || q.closed) {
                    Ring ring = Ring.open(name);
                    try {
                        q = joinable ? new JoinableQueue<>(ring) : new Queue<>(ring);
                    } catch (RuntimeException e) {
                        ring.release();
                        throw e;
                    }
                    ring.deserialized(Ring.WRITERS);
                    return q;
                }
            }
        }
    }

    /**
     * What travels: the segment name.
     *
     * @param name the ring's segment name
     * @param joinable whether the queue is a {@link JoinableQueue}
     */
    private record Handle(String name, boolean joinable) implements Serializable {
        @java.io.Serial
        private Object readResolve() {
            return local(name, joinable);
        }
    }
}
