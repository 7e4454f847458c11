package io.github.pyconcurrent.gevent;

import io.github.pyconcurrent.greenlet.Greenlet;
import java.time.Duration;

/**
 * A deadline for the current greenlet, and the exception it raises; gevent's
 * {@code gevent.Timeout}. When it expires while its greenlet still runs the block, the hub throws
 * this very object into the greenlet at its waiting point (cooperative: a greenlet that never
 * waits is never interrupted).
 *
 * <pre>{@code
 * try (Timeout t = Timeout.startNew(Duration.ofSeconds(2))) {
 *     data = sock.recv(1024);
 * } catch (Timeout expired) {
 *     ...                        // expired == t
 * }
 * }</pre>
 *
 * <p>{@link #close()} cancels it, so try-with-resources is Python's {@code with Timeout(2):}.
 * Confined to the hub's thread of the greenlet that started it.
 */
public class Timeout extends RuntimeException implements AutoCloseable {
    private static final long serialVersionUID = 1L;

    private final transient Duration seconds;
    private transient Hub hub;
    private transient Callback timer;

    /**
     * A timeout of {@code seconds}, not yet started.
     *
     * @param seconds how long after {@link #start()} it expires (gevent's {@code seconds}, as a
     *     Duration)
     */
    public Timeout(Duration seconds) {
        super("timed out after " + seconds);
        this.seconds = seconds;
    }

    /**
     * A started timeout for the current greenlet: gevent's {@code Timeout.start_new}.
     *
     * @param seconds how long from now it expires
     * @return the started timeout, to close (or cancel) when the guarded block ends
     */
    public static Timeout startNew(Duration seconds) {
        return new Timeout(seconds).start();
    }

    /**
     * Arms the timeout for the current greenlet.
     *
     * @return this timeout, now pending
     * @throws IllegalStateException if it is already started and pending
     */
    public Timeout start() {
        if (pending()) {
            throw new IllegalStateException("this timeout is already started");
        }
        hub = Hub.get();
        Greenlet current = hub.currentWaiter();
        timer = hub.startTimer(seconds, current, null, this);
        return this;
    }

    /**
     * True while started, not expired and not cancelled.
     *
     * @return true between {@link #start()} and its expiry or {@link #cancel()}
     */
    public boolean pending() {
        return timer != null && timer.pending();
    }

    /** Disarms it; idempotent. */
    public void cancel() {
        if (timer != null) {
            hub.cancel(timer);
        }
    }

    /** {@link #cancel()}: leaving the try-with-resources block disarms it. */
    @Override
    public void close() {
        cancel();
    }

    /**
     * The duration this timeout was made with.
     *
     * @return the duration given to the constructor
     */
    public Duration seconds() {
        return seconds;
    }
}
