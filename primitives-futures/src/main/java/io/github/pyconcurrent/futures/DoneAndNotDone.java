package io.github.pyconcurrent.futures;

import java.util.Set;

/**
 * What {@link Futures#waitFor} returns: Python's {@code DoneAndNotDoneFutures} named tuple. Both
 * sets are unmodifiable and iterate in the order the futures were given.
 *
 * @param done    the futures that completed (normally, exceptionally or cancelled) before the wait returned
 * @param notDone the others
 * @param <F> the type of the futures
 */
public record DoneAndNotDone<F>(Set<F> done, Set<F> notDone) {
    /**
     * Wraps both sets as they are, unmodifiable.
     *
     * @param done the futures that were done when the wait returned
     * @param notDone the others
     */
    public DoneAndNotDone {
        done = java.util.Collections.unmodifiableSet(done);
        notDone = java.util.Collections.unmodifiableSet(notDone);
    }
}
