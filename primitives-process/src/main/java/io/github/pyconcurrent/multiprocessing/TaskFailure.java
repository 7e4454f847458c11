package io.github.pyconcurrent.multiprocessing;

import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;

/**
 * A task's exception on its way from a worker to the parent. The exception itself travels when
 * it can be serialized; its class name, message and printed stack trace always do, so the parent
 * can raise a {@link RemoteError} when the class is missing there or the exception would not
 * serialize.
 */
final class TaskFailure implements Serializable {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    private final byte[] exception;
    private final String className;
    private final String message;
    private final String stackTrace;

    TaskFailure(Throwable t) {
        byte[] bytes;
        try {
            bytes = Serial.toBytes(t);
        } catch (RuntimeException notSerializable) {
            bytes = null;
        }
        this.exception = bytes;
        this.className = t.getClass().getName();
        this.message = t.getMessage();
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        this.stackTrace = w.toString();
    }

    /** The task's own exception, or a {@link RemoteError} standing for it. */
    Throwable toThrowable() {
        if (exception != null) {
            try {
                if (Serial.fromBytes(exception) instanceof Throwable t) {
                    return t;
                }
            } catch (ClassNotFoundException | RuntimeException e) {
                // fall through to the text form
            }
        }
        return new RemoteError(className, message, stackTrace);
    }
}
