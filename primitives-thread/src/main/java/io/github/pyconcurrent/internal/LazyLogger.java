package io.github.pyconcurrent.internal;

import java.util.ResourceBundle;

/**
 * A {@link System.Logger} that asks {@link System#getLogger} for the real one only when it is
 * first used. For classes on a child JVM's path to its target, which should log rarely and start
 * fast: the first {@code System.getLogger} in a JVM initializes the logging backend
 * ({@code java.util.logging}'s {@code LogManager}, its configuration file, its handlers), which
 * measured 30–40 ms of CPU in a fresh JVM ({@code perf stat -e task-clock}, a Hello with and
 * without one {@code System.getLogger} call). A class whose logger is a field initialized with
 * {@code System.getLogger} pays that as soon as it is initialized, whether it logs or not.
 *
 * <p>Usage: {@code private static final System.Logger LOG = LazyLogger.of(Lifeline.class);}
 *
 * <p>Not API: public so that every module of the toolkit can use it.
 */
public final class LazyLogger implements System.Logger {
    private final String name;
    /** The real logger, once asked for: benign race, {@code System.getLogger} returns the same. */
    private volatile System.Logger delegate;

    private LazyLogger(String name) {
        this.name = name;
    }

    /**
     * A logger named after {@code owner}, created on first use.
     *
     * @param owner the class whose name the logger takes
     * @return a logger that asks {@code System.getLogger} only when first used
     */
    public static System.Logger of(Class<?> owner) {
        return new LazyLogger(owner.getName());
    }

    /**
     * A logger named {@code name}, created on first use.
     *
     * @param name the logger's name
     * @return a logger that asks {@code System.getLogger} only when first used
     */
    public static System.Logger of(String name) {
        return new LazyLogger(name);
    }

    private System.Logger delegate() {
        System.Logger d = delegate;
        if (d == null) {
            delegate = d = System.getLogger(name);
        }
        return d;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean isLoggable(Level level) {
        return delegate().isLoggable(level);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
        delegate().log(level, bundle, message, thrown);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        delegate().log(level, bundle, format, params);
    }
}
