package io.github.pyconcurrent.threading;

/**
 * Python's {@code threading.BrokenBarrierError}: the barrier was aborted, reset while waited on,
 * or a wait on it timed out. Unchecked, as every exception of this API.
 */
public class BrokenBarrierError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A broken-barrier error without a message.
     */
    public BrokenBarrierError() {
        super();
    }

    /**
     * A broken-barrier error that says why.
     *
     * @param message the detail message
     */
    public BrokenBarrierError(String message) {
        super(message);
    }
}
