package io.github.pyconcurrent.gevent;

import io.github.pyconcurrent.internal.Timeouts;
import io.github.pyconcurrent.greenlet.Greenlet;
import io.github.pyconcurrent.greenlet.GreenletError;
import io.github.pyconcurrent.greenlet.GreenletExit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The event loop of one thread: a greenlet that runs ready callbacks, fires due timers and waits
 * on a {@link Selector} for socket readiness; gevent's {@code gevent.hub.Hub}. Every greenlet
 * that waits (sleep, join, a cooperative socket) registers a wake-up and switches to the hub;
 * the hub switches back to it when the wake-up is due. So the greenlets of one hub run one at a
 * time, never in parallel, and a switch happens only where a greenlet waits.
 *
 * <pre>{@code
 * Hub hub = Hub.get();          // this thread's hub (created on first use)
 * ... Gevent.spawn(...), Gevent.joinall(...) ...
 * hub.destroy();                // kills unfinished tasks, closes the selector
 * }</pre>
 *
 * <p>A hub is confined to its thread: its greenlets' parent chains end in that thread's main
 * greenlet, and a call from another thread throws {@link GreenletError} - except
 * {@link #runCallbackThreadsafe}, the way in for other threads. The hub holds a
 * selector (file descriptors): {@link #destroy()} it when the thread is done with gevent.
 *
 * <p>On the continuation backend every greenlet of the hub runs on its thread's stack, so deep
 * recursion inside greenlets is bounded by that thread's stack size: run a hub that needs it on
 * a thread made with a large stack ({@code new Thread(group, task, name, stackSize)}).
 *
 * <p>When every greenlet waits and nothing can wake any (no ready callback, timer or watched
 * socket), the hub throws {@link LoopExit} into the main greenlet instead of sleeping forever.
 */
public final class Hub extends Greenlet {
    private static final System.Logger LOG = System.getLogger(Hub.class.getName());

    /**
     * Hubs by their thread's main greenlet: a thread-local would not do, because on the
     * virtual-thread backend each greenlet runs on a virtual thread of its own.
     */
    private static final Map<Greenlet, Hub> HUBS = Collections.synchronizedMap(new IdentityHashMap<>());
    /**
     * The hub {@link #get()} last found through {@link #HUBS}: a program usually has one gevent
     * thread, whose main greenlet then finds its hub here without the synchronized map. Racy on
     * purpose: another thread's hub fails the {@code main == current} check (main is final, so
     * safely published) and the lookup falls back to the map.
     */
    private static Hub lastHub;

    /** The main greenlet of the hub's thread: the hub's parent and its key in {@link #HUBS}. */
    private final Greenlet main;
    private final Selector selector;
    /** Wake-ups to deliver in the loop's next round, in order. */
    private final ArrayDeque<Callback> ready = new ArrayDeque<>();
    /** Pending timers by deadline; cancelled ones are removed at once. */
    private final PriorityQueue<Callback> timers = new PriorityQueue<>();
    private long timerSeq;
    /** Greenlets waiting for socket readiness; with timers and ready, what keeps LoopExit away. */
    private int ioWaiters;
    /**
     * Spawned tasks not yet finished, in spawn order, for {@link #destroy()} to kill: a list
     * linked through the tasks themselves, so spawning costs no hashing (a set of tasks would
     * compute an identity hash per task) and no node allocation.
     */
    private GreenletTask<?> firstUnfinished;
    private GreenletTask<?> lastUnfinished;
    /** Set only on the hub's thread; read (volatile) by {@link #runCallbackThreadsafe}. */
    private volatile boolean destroyed;
    /**
     * What cooperative sockets of this hub receive into before copying out what came
     * ({@link #readScratch}); confined to the hub's thread, like the greenlets that use it.
     */
    private java.nio.ByteBuffer readScratch;
    /** The largest receive buffer the hub keeps for reuse; a larger {@code recv} gets one of its own. */
    private static final int MAX_READ_SCRATCH = 64 * 1024;
    /** {@link #dispatch}, made once: the selector hands each ready key to it. */
    private final java.util.function.Consumer<SelectionKey> onReady = this::dispatch;
    /** Actions handed in by other threads; the loop spawns each as a task of this hub. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> fromOtherThreads =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private Hub(Greenlet main) {
        super(main);
        this.main = main;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The calling thread's hub, created (not yet started) on first use; gevent's {@code get_hub()}.
     *
     * @return the hub of the calling thread (or of the greenlet's thread, from a task), never null
     */
    public static Hub get() {
        Greenlet current = Greenlet.getcurrent();
        Hub last = lastHub;
        if (last != null && last.main == current && !last.destroyed) {
            return last;
        }
        for (Greenlet g = current; g != null; g = g.parent()) {
            if (g instanceof Hub hub) {
                return hub;
            }
            if (g instanceof GreenletTask<?> task) {
                return task.hub;
            }
        }
        Hub hub = HUBS.computeIfAbsent(rootOf(current), Hub::new);
        lastHub = hub;
        return hub;
    }

    /**
     * Kills the unfinished spawned tasks (waiting for each), stops the loop and closes the
     * selector; the thread's next {@link #get()} makes a new hub. Call it from the hub's thread,
     * outside of its tasks (typically from the main greenlet).
     */
    public void destroy() {
        checkThread();
        if (destroyed) {
            return;
        }
        Greenlet current = Greenlet.getcurrent();
        if (current == this || current instanceof GreenletTask<?>) {
            throw new IllegalStateException("destroy the hub from outside of it and of its tasks");
        }
        List<GreenletTask<?>> toKill = new ArrayList<>();
        for (GreenletTask<?> t = firstUnfinished; t != null; t = t.nextUnfinished) {
            toKill.add(t);
        }
        for (GreenletTask<?> task : toKill) {
            task.kill();
        }
        destroyed = true;
        HUBS.remove(main, this);
        if (isActive()) {
            setParent(current);
            throwInto(new GreenletExit("hub destroyed"));
        }
        closeSelector();
    }

    /**
     * Runs {@code action} as a new task of this hub, soon; callable from any thread (the one
     * thread-safe method of the hub; gevent's {@code loop.run_callback_threadsafe}). Use it to
     * reach the hub's greenlets from outside, e.g. to kill a serving task or close its socket.
     *
     * @param action what to run on the hub's thread, as a task of its own
     * @throws IllegalStateException the hub was destroyed
     * @throws NullPointerException if {@code action} is null
     */
    public void runCallbackThreadsafe(Runnable action) {
        java.util.Objects.requireNonNull(action, "action");
        if (destroyed) {
            throw new IllegalStateException("this hub was destroyed");
        }
        fromOtherThreads.add(action);
        selector.wakeup();
    }

    /** The loop; ends only by a GreenletExit thrown in (see {@link #destroy()}). */
    @Override
    protected Object run(Object[] args) {
        try {
            loop();
        } finally {
            closeSelector();
        }
        return null;
    }

    private void loop() {
        while (true) {
            spawnFromOtherThreads();
            runReady();
            fireDueTimers();
            try {
                // The forms that hand each ready key to onReady: no selected-key set to fill,
                // iterate and empty on every round.
                if (!ready.isEmpty() || !fromOtherThreads.isEmpty()) {
                    selector.selectNow(onReady);
                } else if (timers.isEmpty() && ioWaiters == 0) {
                    parent().throwInto(new LoopExit("This operation would block forever: every greenlet"
                            + " of this hub waits, and no timer, socket or callback can wake any"));
                    continue;
                } else if (timers.isEmpty()) {
                    selector.select(onReady);
                } else {
                    long waitNanos = timers.peek().deadline - System.nanoTime();
                    if (waitNanos <= 0) {
                        selector.selectNow(onReady);
                    } else {
                        selector.select(onReady, Math.max(1, (waitNanos + 999_999) / 1_000_000));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void spawnFromOtherThreads() {
        Runnable action;
        while ((action = fromOtherThreads.poll()) != null) {
            GreenletTask<Void> task = new GreenletTask<>(this, action);
            task.schedule();
        }
    }

    /** Delivers the wake-ups queued before this round; later ones wait for the next round. */
    private void runReady() {
        for (int n = ready.size(); n > 0; n--) {
            Callback cb = ready.poll();
            try {
                cb.fire();
            } catch (GreenletExit e) {
                throw e;  // thrown into the hub itself: destroy()
            } catch (RuntimeException | Error e) {
                // a greenlet whose parent is the hub ended with an exception: report, keep looping
                LOG.log(System.Logger.Level.WARNING, "exception in a greenlet of the hub", e);
            }
        }
    }

    private void fireDueTimers() {
        long now = System.nanoTime();
        Callback t;
        while ((t = timers.peek()) != null && t.deadline - now <= 0) {
            timers.poll();
            ready.add(t);
        }
    }

    /**
     * Queues the wake-ups of a ready key's waiters. Readiness that nobody waits for any more
     * (a reader's interest is kept after its wait, see {@link #waitIo}) is no longer asked for,
     * so that select does not report it round after round.
     */
    private void dispatch(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        IoWatch watch = (IoWatch) key.attachment();
        int readyOps = key.readyOps();
        int unwanted = 0;
        if ((readyOps & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            if (watch.reader != null) {
                ready.add(watch.reader);
            } else {
                unwanted |= SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;
            }
        }
        if ((readyOps & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            if (watch.writer != null) {
                ready.add(watch.writer);
            } else {
                unwanted |= SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;
            }
        }
        if (unwanted != 0) {
            key.interestOps(key.interestOps() & ~unwanted);
        }
        // A waiter's interest stays until its wait ends: it runs (runReady) before the next
        // select, and whatever it does then sets or clears it (waitIo).
    }

    // ------------------------------------------------------------------ for the gevent package

    /** Queues a switch to {@code target} with {@code value} for the loop's next round. */
    Callback schedule(Greenlet target, Object value) {
        Callback cb = new Callback(target, value, null, 0, -1);
        ready.add(cb);
        return cb;
    }

    /** Queues {@code throwable} to be thrown into {@code target} in the loop's next round. */
    Callback scheduleThrow(Greenlet target, Throwable throwable) {
        Callback cb = new Callback(target, null, throwable, 0, -1);
        ready.add(cb);
        return cb;
    }

    /** A wake-up that {@code GreenletTask} queues when it finishes (see {@link #wake}). */
    Callback callback(Greenlet target) {
        return new Callback(target, null, null, 0, -1);
    }

    /** Queues a prepared wake-up. */
    void wake(Callback cb) {
        if (cb.pending()) {
            ready.add(cb);
        }
    }

    /** A timer: after {@code delay}, switch to {@code target} with {@code value} (or throw). */
    Callback startTimer(Duration delay, Greenlet target, Object value, Throwable throwable) {
        long nanos = Timeouts.boundedNanos(delay);
        Callback cb = new Callback(target, value, throwable, System.nanoTime() + nanos, timerSeq++);
        timers.add(cb);
        return cb;
    }

    /** Cancels a wake-up (null-safe, idempotent). */
    void cancel(Callback cb) {
        if (cb != null && cb.pending()) {
            cb.cancelled = true;
            if (cb.isTimer()) {
                timers.remove(cb);
            }
        }
    }

    /**
     * Suspends the current greenlet until a wake-up switches back to it; returns that wake-up's
     * value. The caller registers the wake-up first and cancels it in a finally block.
     */
    Object block() {
        return switchTo();
    }

    /** Checks that the current greenlet may wait: it is on this hub's thread and is not the hub. */
    Greenlet currentWaiter() {
        checkThread();
        Greenlet current = Greenlet.getcurrent();
        if (current == this) {
            throw new IllegalStateException("the hub cannot wait: it would have nobody to switch to");
        }
        if (destroyed) {
            throw new IllegalStateException("this hub was destroyed");
        }
        return current;
    }

    /** Throws GreenletError when called from another thread than the hub's. */
    void checkThread() {
        if (rootOf(Greenlet.getcurrent()) != main) {
            throw new GreenletError("this hub belongs to another thread");
        }
    }

    void taskStarted(GreenletTask<?> task) {
        task.prevUnfinished = lastUnfinished;
        task.nextUnfinished = null;
        if (lastUnfinished == null) {
            firstUnfinished = task;
        } else {
            lastUnfinished.nextUnfinished = task;
        }
        lastUnfinished = task;
        task.listedUnfinished = true;
    }

    void taskDone(GreenletTask<?> task) {
        if (!task.listedUnfinished) {
            return;
        }
        task.listedUnfinished = false;
        GreenletTask<?> prev = task.prevUnfinished;
        GreenletTask<?> next = task.nextUnfinished;
        if (prev == null) {
            firstUnfinished = next;
        } else {
            prev.nextUnfinished = next;
        }
        if (next == null) {
            lastUnfinished = prev;
        } else {
            next.prevUnfinished = prev;
        }
        task.prevUnfinished = null;
        task.nextUnfinished = null;
    }

    /**
     * Waits until {@code channel} is ready for {@code op} (a SelectionKey.OP_* constant) or the
     * timeout (null: none) passes; returns false on timeout.
     */
    boolean waitIo(SelectableChannel channel, int op, Duration timeout) {
        Greenlet waiter = currentWaiter();
        SelectionKey key = channel.keyFor(selector);
        try {
            if (key == null) {
                key = channel.register(selector, 0, new IoWatch());
            }
        } catch (ClosedChannelException e) {
            throw new UncheckedIOException(e);
        }
        IoWatch watch = (IoWatch) key.attachment();
        boolean reading = (op & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0;
        if ((reading ? watch.reader : watch.writer) != null) {
            throw new IllegalStateException("another greenlet is already "
                    + (reading ? "reading from" : "writing to") + " this socket");
        }
        Callback wake = callback(waiter);
        if (reading) {
            watch.reader = wake;
        } else {
            watch.writer = wake;
        }
        int interest = key.interestOps();
        if ((interest & op) != op) {
            key.interestOps(interest | op);   // (a queued update: each costs the selector's lock)
        }
        ioWaiters++;
        Callback timer = timeout == null ? null : startTimer(timeout, waiter, null, null);
        try {
            while (wake.pending() && (timer == null || timer.pending())) {
                // switchTo, not block(): a waiting greenlet's stack keeps every frame under the
                // switch, and an idle connection waits here (one frame less each)
                switchTo();
            }
            return timer == null || !timer.fired || wake.fired;
        } finally {
            ioWaiters--;
            if (reading) {
                watch.reader = null;
            } else {
                watch.writer = null;
            }
            // A reader's interest is kept: a connection's handler reads again soon, and an
            // interest that stays costs no epoll_ctl and no update of the selector per request
            // (Netty's rule). Readiness that comes with no reader waiting is dropped by
            // dispatch(). Writes wait rarely, and a socket is nearly always writable: dropped now.
            if (!reading && key.isValid()) {
                key.interestOps(key.interestOps() & ~op);
            }
            cancel(wake);
            cancel(timer);
        }
    }

    /**
     * Wakes the greenlets waiting on {@code channel} with an exception, because it is being
     * closed (gevent's "file descriptor was closed in another greenlet").
     */
    void cancelWaits(SelectableChannel channel) {
        SelectionKey key = channel.keyFor(selector);
        if (key == null) {
            return;
        }
        IoWatch watch = (IoWatch) key.attachment();
        for (Callback waiter : new Callback[] {watch.reader, watch.writer}) {
            if (waiter != null && waiter.pending()) {
                cancel(waiter);
                scheduleThrow(waiter.target, new UncheckedIOException("socket closed in another greenlet",
                        new java.nio.channels.ClosedChannelException()));
            }
        }
    }

    /** This hub's selection key of {@code channel}, or null. */
    SelectionKey keyFor(SelectableChannel channel) {
        return channel.keyFor(selector);
    }

    /**
     * A cleared heap buffer of {@code size} bytes to read into, shared by the sockets of this hub:
     * a {@code recv} waiting for data then holds no buffer of its own (10,000 idle connections
     * would otherwise hold 10,000). The caller copies out what it read before it next switches
     * (greenlets of a hub run one at a time), and asks again after a switch.
     */
    java.nio.ByteBuffer readScratch(int size) {
        java.nio.ByteBuffer b = readScratch;
        if (b == null || b.capacity() < size) {
            if (size > MAX_READ_SCRATCH) {
                return java.nio.ByteBuffer.allocate(size);
            }
            b = java.nio.ByteBuffer.allocate(Math.max(size, 8192));
            readScratch = b;
        }
        return b.clear().limit(size);
    }

    private void closeSelector() {
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the hub's selector", e);
        }
    }

    private static Greenlet rootOf(Greenlet g) {
        while (g.parent() != null) {
            g = g.parent();
        }
        return g;
    }

    /** The greenlets waiting on one channel: one reader and one writer at a time, as gevent. */
    private static final class IoWatch {
        Callback reader;
        Callback writer;
    }
}
