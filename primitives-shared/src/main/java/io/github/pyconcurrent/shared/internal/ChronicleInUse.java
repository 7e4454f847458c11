package io.github.pyconcurrent.shared.internal;

/**
 * Whether this JVM has set Chronicle Map up (a {@code Manager} or {@code SharedDict} was used):
 * the process module's forkserver preloads Chronicle in its spares only then, as Python's
 * forkserver imports only the modules named by {@code set_forkserver_preload}. Not API: public
 * only so that the toolkit's other modules can reach it.
 */
public final class ChronicleInUse {
    /** Set once, never cleared: a program that used a dict once is likely to use one again. */
    private static volatile boolean used;

    private ChronicleInUse() {}

    /** Called by the toolkit when it sets Chronicle up in this JVM. */
    public static void mark() {
        used = true;
    }

    /**
     * Whether {@link #mark()} was called in this JVM.
     *
     * @return true once this JVM has set Chronicle Map up
     */
    public static boolean marked() {
        return used;
    }
}
