package io.github.pyconcurrent.futures;

/** When {@link Futures#waitFor} returns: Python's {@code FIRST_COMPLETED}, {@code FIRST_EXCEPTION}, {@code ALL_COMPLETED}. */
public enum ReturnWhen {
    /** As soon as any future finishes or is cancelled. */
    FIRST_COMPLETED,
    /** As soon as any future finishes by raising an exception (cancellation does not count); else when all are done. */
    FIRST_EXCEPTION,
    /** When every future has finished or was cancelled. */
    ALL_COMPLETED
}
