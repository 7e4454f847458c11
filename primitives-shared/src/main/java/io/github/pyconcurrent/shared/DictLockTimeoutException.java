package io.github.pyconcurrent.shared;

/**
 * A {@link SharedDict} operation waited longer than the segment-lock timeout (system property
 * {@code pyconcurrent.shared.dict.lockTimeoutSeconds}, default
 * 5 s): almost always because a process was
 * killed while it was writing to the dict and its lock can never be released.
 *
 * <p>Recovery: once no other process is using the dict, call {@link SharedDict#recover()} in one
 * process; it resets the dict's locks (and repairs a half-written entry) in place, and every
 * process attached to it can then carry on. Python's {@code Manager().dict()} has no such case:
 * its data lives in one server process, and when that process dies the dict is gone.
 */
public final class DictLockTimeoutException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    DictLockTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
