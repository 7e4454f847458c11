package io.github.pyconcurrent.threading;

/**
 * A held lock, permit or condition lock, released by {@link #close()}: Python's {@code with lock:}.
 *
 * <pre>{@code
 * try (Held held = lock.hold()) {
 *     // critical section
 * }
 * }</pre>
 *
 * <p>{@code close()} releases exactly once and throws nothing checked; calling it again does
 * nothing. A {@code Held} belongs to the thread that acquired it.
 */
@FunctionalInterface
public interface Held extends AutoCloseable {
    /** Releases what {@code hold()} acquired. */
    @Override
    void close();
}
