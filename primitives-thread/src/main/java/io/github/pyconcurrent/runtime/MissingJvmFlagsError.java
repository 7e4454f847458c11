package io.github.pyconcurrent.runtime;

import java.util.List;

/**
 * This JVM was started without flags a part of the toolkit needs; the message lists the missing
 * ones exactly as they must be typed, and how to give them. Thrown by
 * {@link JvmFlags#require(String, List)} at the first use of that part, instead of the JDK's
 * {@code InaccessibleObjectException} from deep inside a library, which names no fix.
 *
 * <p>An {@link Error}, not an exception: it is thrown from class initialisers, which would wrap an
 * exception in {@link ExceptionInInitializerError} (an Error passes through as it is), and no
 * caller can recover from it: the fix is the command line. Python has no counterpart: CPython
 * needs no such flags.
 */
public final class MissingJvmFlagsError extends Error {
    private static final long serialVersionUID = 1L;

    private final transient List<String> missing;

    MissingJvmFlagsError(String message, List<String> missing) {
        super(message);
        this.missing = List.copyOf(missing);
    }

    /**
     * The missing flags, one argument each, as they must be typed.
     *
     * @return the missing flags, unmodifiable
     */
    public List<String> missing() {
        return missing;
    }
}
