package io.github.pyconcurrent.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The JVM flags the toolkit needs at run time, read from the one place they are defined (the
 * root pom's {@code pyconcurrent.jvm.flags}, filtered into {@code jvm-flags.properties}). Every
 * child JVM the toolkit starts gets {@link #flags()}; users' own JVMs take the same list from the
 * README.
 *
 * <pre>{@code
 * List<String> command = new ArrayList<>(List.of(javaBinary));
 * command.addAll(JvmFlags.flags());
 * command.addAll(List.of("-cp", classPath, mainClass));
 * }</pre>
 */
public final class JvmFlags {
    /**
     * Silences the JDK 24+ warning printed when {@code sun.misc.Unsafe}'s memory access is used
     * (JEP 498), as Chronicle Map and JMH still do. JDK 21 does not know the option and refuses
     * to start with it, so it is added per running JDK rather than defined with the others.
     */
    static final String ALLOW_UNSAFE_MEMORY_ACCESS = "--sun-misc-unsafe-memory-access=allow";

    private static final List<String> DEFINED = load();
    private static final List<String> FOR_THIS_JDK = forJdk(DEFINED, Runtime.version().feature());

    private JvmFlags() {}

    /**
     * The flags for a child JVM of the running JDK, one argument each: {@link #definedFlags()},
     * plus {@value #ALLOW_UNSAFE_MEMORY_ACCESS} on JDK 24 and later.
     */
    public static List<String> flags() {
        return FOR_THIS_JDK;
    }

    /** The flags as defined (and shown in the README), valid on every JDK from 21 on. */
    public static List<String> definedFlags() {
        return DEFINED;
    }

    static List<String> forJdk(List<String> defined, int feature) {
        if (feature < 24) {
            return defined;
        }
        List<String> flags = new ArrayList<>(defined);
        flags.add(ALLOW_UNSAFE_MEMORY_ACCESS);
        return List.copyOf(flags);
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
