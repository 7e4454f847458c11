package io.github.pyconcurrent.multiprocessing;

import java.io.Serial;

/**
 * Python's {@code multiprocessing.TimeoutError}: {@link AsyncResult#get(java.time.Duration)} gave up
 * before the result was ready. The task goes on; a later {@code get} may still return its result.
 */
public class TimeoutError extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * A TimeoutError that says what was not ready in time.
     *
     * @param message what was waited for, and how long
     */
    public TimeoutError(String message) {
        super(message);
    }
}
