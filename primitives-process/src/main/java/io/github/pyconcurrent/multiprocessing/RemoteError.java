package io.github.pyconcurrent.multiprocessing;

import java.io.Serial;

/**
 * A task's exception that could not be rebuilt in this JVM (its class is not on the parent's class
 * path, or it could not be serialized): Python's {@code multiprocessing.pool.RemoteTraceback}. It
 * carries the remote exception's class name, message and stack trace as text; {@link #getMessage()}
 * starts with the class name, and {@link #remoteStackTrace()} is what the child would have printed.
 */
public class RemoteError extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String remoteClassName;
    private final String remoteMessage;
    private final String remoteStackTrace;

    public RemoteError(String remoteClassName, String remoteMessage, String remoteStackTrace) {
        super(remoteClassName + (remoteMessage == null ? "" : ": " + remoteMessage)
                + "\n--- remote stack trace ---\n" + remoteStackTrace);
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage;
        this.remoteStackTrace = remoteStackTrace;
    }

    /** The binary name of the remote exception's class. */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** The remote exception's message, or null. */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** The remote exception's stack trace, as the child would print it. */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }
}
