package io.github.pyconcurrent.threading;

import java.time.Duration;

/**
 * What every lock-like primitive offers: Python's {@code acquire(blocking=True, timeout=-1)},
 * {@code release()} and {@code with}. Implemented by the threading primitives and by their
 * process-shared twins in {@code io.github.pyconcurrent.shared}, so code (and the test suites)
 * can be written once for both.
 *
 * <p>Blocking methods never declare {@code InterruptedException}: an interrupt restores the
 * thread's interrupt flag and surfaces as {@link UncheckedInterruptedException}.
 */
public interface Acquirable {

    /**
     * Blocks until acquired; returns {@code true}, as Python's does.
     *
     * @return {@code true}
     * @throws UncheckedInterruptedException if the calling thread is interrupted while it waits
     */
    boolean acquire();

    /**
     * Acquires, blocking or not: with {@code blocking == false} returns at once with whether the
     * acquisition succeeded.
     *
     * @param blocking whether to wait until acquired ({@code true}) or return at once ({@code false})
     * @return whether this call acquired
     * @throws UncheckedInterruptedException if the calling thread is interrupted while it waits
     */
    boolean acquire(boolean blocking);

    /**
     * Waits at most {@code timeout}; returns whether acquired. A negative timeout waits forever
     * (Python's {@code timeout=-1}), and so does {@code null} (Python's {@code None}).
     *
     * @param timeout how long to wait at most; {@code null} or negative waits for ever
     * @return whether this call acquired within {@code timeout}
     * @throws UncheckedInterruptedException if the calling thread is interrupted while it waits
     */
    boolean acquire(Duration timeout);

    /** Releases one acquisition. */
    void release();

    /**
     * Acquires and returns a {@link Held} whose {@code close()} releases: Python's {@code with}.
     *
     * <pre>{@code try (var held = lock.hold()) { ... } }</pre>
     *
     * @return a handle whose {@code close()} releases what this call acquired
     * @throws UncheckedInterruptedException if the calling thread is interrupted while it waits
     */
    default Held hold() {
        acquire();
        return new Held() {
            private boolean released;

            @Override
            public void close() {
                if (!released) {
                    released = true;
                    release();
                }
            }
        };
    }
}
