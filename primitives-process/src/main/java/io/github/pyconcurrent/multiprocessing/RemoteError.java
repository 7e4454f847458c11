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

    /** The binary name of the remote exception's class. */
    private final String remoteClassName;
    /** The remote exception's message, or null. */
    private final String remoteMessage;
    /** The remote exception's stack trace, as the child printed it. */
    private final String remoteStackTrace;

    /**
     * An exception standing for one whose class could not be loaded here.
     *
     * @param remoteClassName the binary name of the remote exception's class
     * @param remoteMessage its message, or null
     * @param remoteStackTrace its stack trace, as the child printed it
     */
    public RemoteError(String remoteClassName, String remoteMessage, String remoteStackTrace) {
        super(remoteClassName + (remoteMessage == null ? "" : ": " + remoteMessage)
                + "\n--- remote stack trace ---\n" + remoteStackTrace);
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage;
        this.remoteStackTrace = remoteStackTrace;
    }

    /**
     * The binary name of the remote exception's class.
     *
     * @return the class name, e.g. {@code com.example.ParseException}
     */
    public String remoteClassName() {
        return remoteClassName;
    }

    /**
     * The remote exception's message, or null.
     *
     * @return the message, or null if it had none
     */
    public String remoteMessage() {
        return remoteMessage;
    }

    /**
     * The remote exception's stack trace, as the child would print it.
     *
     * @return the stack trace text, with the remote exception's causes
     */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }
}
