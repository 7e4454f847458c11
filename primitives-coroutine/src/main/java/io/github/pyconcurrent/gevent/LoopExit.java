package io.github.pyconcurrent.gevent;

/**
 * Thrown in the main greenlet when it waits for something that can never happen: the hub has
 * nothing ready, no timer and no socket to watch; gevent's {@code gevent.exceptions.LoopExit}
 * ("This operation would block forever").
 */
public class LoopExit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A LoopExit that says why the wait could never end.
     *
     * @param message what the main greenlet was waiting for
     */
    public LoopExit(String message) {
        super(message);
    }
}
