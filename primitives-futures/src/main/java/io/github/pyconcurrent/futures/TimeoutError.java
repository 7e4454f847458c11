package io.github.pyconcurrent.futures;

import java.io.Serial;

/**
 * Python's {@code concurrent.futures.TimeoutError} (the built-in {@code TimeoutError} since 3.11):
 * {@link Future#result(java.time.Duration)}, {@link Future#exception(java.time.Duration)}, an
 * iterator of {@link AbstractExecutor#map} or of {@link Futures#asCompleted} gave up before a
 * result was ready. The tasks go on.
 *
 * <p>It extends {@link io.github.pyconcurrent.multiprocessing.TimeoutError}, so code that catches
 * the {@code Pool}'s timeout catches this one too.
 */
public class TimeoutError extends io.github.pyconcurrent.multiprocessing.TimeoutError {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * An error whose message says what was not done in time.
     *
     * @param message the detail message
     */
    public TimeoutError(String message) {
        super(message);
    }
}
