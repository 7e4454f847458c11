package io.github.pyconcurrent.multiprocessing;

import java.io.Serial;

/**
 * Python's {@code multiprocessing.TimeoutError}: {@link AsyncResult#get(java.time.Duration)} gave up
 * before the result was ready. The task goes on; a later {@code get} may still return its result.
 */
public class TimeoutError extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public TimeoutError(String message) {
        super(message);
    }
}
