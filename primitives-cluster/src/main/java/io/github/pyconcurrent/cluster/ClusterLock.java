package io.github.pyconcurrent.cluster;

import com.hazelcast.map.IMap;
import io.github.pyconcurrent.threading.Held;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A lock shared by every member and client of a {@link Cluster}: Python's
 * {@code manager.Lock()}, with the threading API ({@code acquire}, {@code release}, {@code with}).
 *
 * <pre>{@code
 * ClusterLock lock = cluster.lock("nightly-report");
 * try (var held = lock.hold()) {          // with lock:
 *     writeReport();
 * }
 * if (lock.acquire(Duration.ofSeconds(5))) { try { ... } finally { lock.release(); } }
 * }</pre>
 *
 * <p>It is the entry lock of key {@code name} in the map {@value Cluster#LOCKS_MAP}. Hazelcast
 * releases such a lock when its holder's member leaves or dies (and when a client's connection is
 * gone for good), which is why it is used instead of the CP subsystem's {@code FencedLock}, no
 * longer open source since Hazelcast 5.5.
 *
 * <p><b>Deliberate differences from Python's {@code Lock}:</b> the lock belongs to the thread that
 * acquired it (Hazelcast's ownership; it is what lets the cluster release a dead holder's lock), so
 * {@link #release()} by another thread throws {@link IllegalStateException}, and it is re-entrant:
 * the holder may acquire it again and must release it as often. Releasing a lock that is not held
 * throws {@link IllegalStateException}, as Python's RuntimeError.
 *
 * <p>Memory consistency: actions before {@code release()} in one JVM happen-before actions after a
 * later {@code acquire()} of the same name in any JVM of the cluster, as far as the data they
 * touch is itself in the cluster (a {@link ClusterDict}, a {@link ClusterQueue}).
 */
public final class ClusterLock {
    /** Guards nothing here: the map and key name the lock; every state lives in the cluster. */
    private final IMap<String, Boolean> locks;
    private final String name;

    ClusterLock(IMap<String, Boolean> locks, String name) {
        this.locks = locks;
        this.name = name;
    }

    /**
     * Waits until the lock is taken; returns {@code true}.
     *
     * @return {@code true}
     */
    public boolean acquire() {
        locks.lock(name);
        return true;
    }

    /**
     * {@code blocking}: as {@link #acquire()}; else takes the lock only if it is free now and says whether.
     *
     * @param blocking whether to wait until the lock is taken
     * @return whether this call took the lock
     */
    public boolean acquire(boolean blocking) {
        return blocking ? acquire() : locks.tryLock(name);
    }

    /**
     * Waits at most {@code timeout} for the lock; returns whether it was taken.
     *
     * @param timeout how long to wait at most
     * @return whether this call took the lock within {@code timeout}
     * @throws UncheckedInterruptedException if the calling thread is interrupted while it waits
     */
    public boolean acquire(Duration timeout) {
        try {
            return locks.tryLock(name, Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedInterruptedException(e);
        }
    }

    /** Releases the lock; {@link IllegalStateException} if it is not held, or held by another thread. */
    public void release() {
        if (!locks.isLocked(name)) { // the common mistake, refused here rather than logged by the member
            throw new IllegalStateException("release of unlocked cluster lock " + name);
        }
        try {
            locks.unlock(name);
        } catch (IllegalMonitorStateException e) {
            throw new IllegalStateException("release of cluster lock " + name + " that this thread does not hold", e);
        }
    }

    /**
     * Whether some thread anywhere in the cluster holds the lock.
     *
     * @return true if some thread in the cluster holds the lock now
     */
    public boolean locked() {
        return locks.isLocked(name);
    }

    /**
     * Acquires and returns a {@link Held} whose {@code close()} releases: {@code with lock:}.
     *
     * @return a handle whose {@code close()} releases the lock (once)
     */
    public Held hold() {
        acquire();
        boolean[] closed = new boolean[1];
        return () -> {
            if (!closed[0]) {
                closed[0] = true;
                release();
            }
        };
    }

    /**
     * Returns the lock's name in the cluster.
     *
     * @return the name given to {@link Cluster#lock(String)}
     */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "<ClusterLock " + name + (locked() ? " locked>" : " unlocked>");
    }
}
