package io.github.pyconcurrent.threading;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Threads to unpark the next time a {@link Lock} is released: how a {@link Condition} over a plain
 * {@code Lock} hands a notified waiter over without waking it while the notifier still holds the
 * lock ("wait morphing"). Woken early, the waiter would only find the lock taken, queue on it and
 * park a second time; woken by the release, it finds the lock free.
 *
 * <p>The protocol, between a notifier that {@link #add adds} a thread and a releaser: the
 * releaser frees the lock (a volatile CAS of its state) and then loads {@link #head}; the
 * notifier pushes (a CAS of {@code head}) and then loads the lock's state, draining itself if the
 * lock is free. Both sides write then read volatile locations, so at least one of them sees the
 * other and no wake-up is lost. If the lock was re-taken in between, the next release drains it:
 * the woken thread needs the lock anyway. An extra unpark is harmless (every park in this package
 * and in AQS re-checks its condition).
 *
 * <pre>{@code
 * // notifier, holding the lock          // Lock.release()
 * wakeups.add(waiterThread);              sync.release(1);
 * if (!locked()) wakeups.wakeAll();       if (wakeups.hasPending()) wakeups.wakeAll();
 * }</pre>
 */
final class ReleaseWakeups {

    /** An entry of the Treiber stack; {@code next} is written once, before the node is published. */
    private static final class Node {
        final java.lang.Thread thread;
        Node next;

        Node(java.lang.Thread thread) {
            this.thread = thread;
        }
    }

    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(ReleaseWakeups.class, "head", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Top of the stack of threads to unpark; null when none. Read and CAS'd only volatile. */
    @SuppressWarnings("unused") // accessed through HEAD
    private volatile Node head;

    /** Records {@code t} to be unparked by the next {@link #wakeAll()}. */
    void add(java.lang.Thread t) {
        Node node = new Node(t);
        for (;;) {
            Node h = (Node) HEAD.getVolatile(this);
            node.next = h;
            if (HEAD.compareAndSet(this, h, node)) {
                return;
            }
        }
    }

    /** Whether a thread waits to be unparked: one volatile load, for the release path. */
    boolean hasPending() {
        return HEAD.getVolatile(this) != null;
    }

    /** Unparks every recorded thread (order does not matter: they compete for the lock anyway). */
    void wakeAll() {
        Node n = (Node) HEAD.getAndSet(this, (Node) null);
        while (n != null) {
            LockSupport.unpark(n.thread);
            n = n.next;
        }
    }
}
