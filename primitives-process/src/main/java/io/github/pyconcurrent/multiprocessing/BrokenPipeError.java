package io.github.pyconcurrent.multiprocessing;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Python's {@code BrokenPipeError}: {@link Connection#send(Object)} or
 * {@link Connection#sendBytes(byte[])} on an end whose every receiving holder has closed it or
 * died, so the message could never be read. An {@link UncheckedIOException} (Python's is an
 * {@code OSError}) whose cause is an {@link IOException} with the same message.
 */
public class BrokenPipeError extends UncheckedIOException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    /**
     * A BrokenPipeError that says which pipe broke and what was lost.
     *
     * @param message the pipe and the undelivered message
     */
    public BrokenPipeError(String message) {
        super(message, new IOException(message));
    }
}
