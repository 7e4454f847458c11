package io.github.pyconcurrent.greenlet;

/**
 * A switch that greenlets cannot make; Python's {@code greenlet.error}. Thrown for a switch to a
 * greenlet of another thread, and for a switch out of a greenlet whose stack the JVM cannot
 * suspend (a native frame such as a class initializer on the continuation backend).
 */
public class GreenletError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GreenletError(String message) {
        super(message);
    }

    public GreenletError(String message, Throwable cause) {
        super(message, cause);
    }
}
