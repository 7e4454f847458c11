package io.github.pyconcurrent.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * The JVM flags the toolkit needs at run time, read from the one place they are defined (the
 * root pom's {@code pyconcurrent.jvm.flags}, filtered into {@code jvm-flags.properties}). Every
 * child JVM the toolkit starts gets {@link #flags()}; users' own JVMs take the same list from the
 * README.
 */
public final class JvmFlags {
    private static final List<String> FLAGS = load();

    private JvmFlags() {}

    /** The flags, one argument each, in their defined order. */
    public static List<String> flags() {
        return FLAGS;
    }

    private static List<String> load() {
        Properties p = new Properties();
        try (InputStream in = JvmFlags.class.getResourceAsStream("jvm-flags.properties")) {
            if (in == null) {
                throw new IllegalStateException("jvm-flags.properties is missing from primitives-thread");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String line = p.getProperty("jvm.flags", "").trim();
        return line.isEmpty() ? List.of() : List.of(line.split("\\s+"));
    }
}
