package io.github.pyconcurrent.greenlet;

/**
 * A switch that greenlets cannot make; Python's {@code greenlet.error}. Thrown for a switch to a
 * greenlet of another thread, and for a switch out of a greenlet whose stack the JVM cannot
 * suspend (a native frame such as a class initializer on the continuation backend).
 */
public class GreenletError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A GreenletError that says which switch was refused and why.
     *
     * @param message the refused switch and its reason
     */
    public GreenletError(String message) {
        super(message);
    }

    /**
     * A GreenletError with the failure that made the switch impossible.
     *
     * @param message the refused switch and its reason
     * @param cause the underlying failure, e.g. the JVM's refusal to suspend a pinned stack
     */
    public GreenletError(String message, Throwable cause) {
        super(message, cause);
    }
}
