package io.github.pyconcurrent.shared;

/**
 * A {@link SharedDict} operation waited longer than the segment-lock timeout (system property
 * {@code pyconcurrent.shared.dict.lockTimeoutSeconds}, default 5 s). Not because a process died:
 * a dead holder's segment is taken over and repaired within about 100 ms (see {@link SharedDict}).
 * Either a live process held the segment that long (the message names it: a slow compute or
 * merge function), or Chronicle's own lock was taken outside SharedDict or the file is corrupted
 * (the message says so); in that last case, once no other process is using the dict, call
 * {@link SharedDict#recover()} in one process. Python's {@code Manager().dict()} has no such case:
 * its data lives in one server process, and when that process dies the dict is gone.
 */
public final class DictLockTimeoutException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    DictLockTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
