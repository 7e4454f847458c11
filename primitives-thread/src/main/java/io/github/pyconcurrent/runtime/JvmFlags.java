package io.github.pyconcurrent.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
 *
 * <p>A user's own JVM is checked at the first use of a part that needs them
 * ({@link #require(String, List)}): a missing flag fails with {@link MissingJvmFlagsError}, which
 * lists it as it must be typed. {@code ./run flags} (this class's {@link #main(String[])}) prints
 * the list for a command line: {@code java $(./run flags) -cp ...}; {@code ./run flags cluster}
 * adds Hazelcast's ({@link #clusterFlags()}).
 */
public final class JvmFlags {
    /**
     * Silences the JDK 24+ warning printed when {@code sun.misc.Unsafe}'s memory access is used
     * (JEP 498), as Chronicle Map and JMH still do. JDK 21 does not know the option and refuses
     * to start with it, so it is added per running JDK rather than defined with the others.
     */
    static final String ALLOW_UNSAFE_MEMORY_ACCESS = "--sun-misc-unsafe-memory-access=allow";

    private static final Properties DEFINITIONS = load();
    private static final List<String> DEFINED = list(DEFINITIONS.getProperty("jvm.flags", ""));
    private static final List<String> FOR_THIS_JDK = forJdk(DEFINED, Runtime.version().feature());
    private static final List<String> CLUSTER = union(FOR_THIS_JDK, list(DEFINITIONS.getProperty("cluster.jvm.flags", "")));
    /** The flag lists already found complete in this JVM: each is checked once. */
    private static final Set<List<String>> CHECKED = ConcurrentHashMap.newKeySet();

    private JvmFlags() {}

    /**
     * The flags for a child JVM of the running JDK, one argument each: {@link #definedFlags()},
     * plus {@value #ALLOW_UNSAFE_MEMORY_ACCESS} on JDK 24 and later.
     *
     * @return the flags for this JDK, unmodifiable
     */
    public static List<String> flags() {
        return FOR_THIS_JDK;
    }

    /**
     * The flags as defined (and shown in the README), valid on every JDK from 21 on.
     *
     * @return the flags as defined, unmodifiable
     */
    public static List<String> definedFlags() {
        return DEFINED;
    }

    /**
     * The flags for a JVM that runs a Hazelcast cluster member or client (primitives-cluster):
     * {@link #flags()}, plus the {@code --add-modules} and {@code --add-opens} Hazelcast asks for.
     *
     * @return the flags for a Hazelcast JVM on this JDK, unmodifiable
     */
    public static List<String> clusterFlags() {
        return CLUSTER;
    }

    /**
     * Checks, once per list, that this JVM runs with {@code flags} (e.g. {@link #flags()}); throws
     * {@link MissingJvmFlagsError} naming {@code user} (what needs them) and every missing flag
     * when one it cannot work without is missing: an {@code --add-opens}, {@code --add-exports}
     * or {@code --add-modules}. (A missing {@code -D} or warning-silencing flag costs a warning,
     * not a failure; it is listed with the others all the same.) A flag counts as present however
     * it was given: command line, {@code JDK_JAVA_OPTIONS}, an argument file, a jar manifest's
     * {@code Add-Opens}. When the toolkit itself is in a named module, {@code ALL-UNNAMED} does not
     * apply to it, and nothing is checked.
     *
     * @param user what needs the flags, for the error's message (e.g. "SharedDict (Chronicle Map)")
     * @param flags the flags to check, one argument each
     * @throws MissingJvmFlagsError if an {@code --add-opens}, {@code --add-exports} or {@code --add-modules} of {@code flags} is not in force
     */
    public static void require(String user, List<String> flags) {
        if (CHECKED.contains(flags) || JvmFlags.class.getModule().isNamed()) {
            return;
        }
        List<String> missing = missing(flags, JvmFlags.class.getModule(), ManagementFactory.getRuntimeMXBean().getInputArguments());
        if (missing.stream().anyMatch(JvmFlags::isRequired)) {
            throw new MissingJvmFlagsError(user + " needs JVM flags that this JVM was started without:\n    "
                    + String.join(" ", missing) + "\nStart java with all of these, before -cp/-jar"
                    + " (`./run flags` in the pyconcurrent checkout prints them):\n    " + String.join(" ", flags)
                    + "\nFor mvn exec:java put them in MAVEN_OPTS or .mvn/jvm.config; for tests in Surefire's <argLine>"
                    + " (Gradle: jvmArgs).", missing);
        }
        CHECKED.add(flags);
    }

    /** Those of {@code flags} not in force for code in {@code target}, given this JVM's {@code inputArguments}. */
    static List<String> missing(List<String> flags, Module target, List<String> inputArguments) {
        return flags.stream().filter(f -> !inForce(f, target, inputArguments)).toList();
    }

    static boolean isRequired(String flag) {
        return flag.startsWith("--add-opens") || flag.startsWith("--add-exports") || flag.startsWith("--add-modules");
    }

    /**
     * Whether {@code flag} is in force: for opens, exports and modules, asked of the module system
     * itself (whatever way the flag came in); for {@code -Dk=v}, of the system properties; for the
     * rest, whether the JVM's arguments hold it.
     */
    static boolean inForce(String flag, Module target, List<String> inputArguments) {
        String[] opt = flag.split("=", 2);
        String name = opt[0];
        String value = opt.length > 1 ? opt[1] : "";
        if (name.equals("--add-opens") || name.equals("--add-exports")) {
            // module/package=target: asked for ALL-UNNAMED, so any unnamed module, target's included
            int slash = value.indexOf('/');
            int eq = value.indexOf('=');
            if (slash < 0 || eq < slash) {
                return inputArguments.contains(flag);
            }
            Optional<Module> m = ModuleLayer.boot().findModule(value.substring(0, slash));
            if (m.isEmpty()) {
                return true; // not in this runtime image: the flag would do nothing either
            }
            String pkg = value.substring(slash + 1, eq);
            return name.equals("--add-opens") ? m.get().isOpen(pkg, target) : m.get().isExported(pkg, target);
        }
        if (name.equals("--add-modules")) {
            for (String module : value.split(",")) {
                if (ModuleLayer.boot().findModule(module).isEmpty()) {
                    return false;
                }
            }
            return true;
        }
        if (name.startsWith("-D")) {
            return value.equals(System.getProperty(name.substring(2)));
        }
        if (name.equals("--enable-native-access") && value.equals("ALL-UNNAMED")) {
            Boolean enabled = nativeAccessEnabled(target);
            if (enabled != null) {
                return enabled;
            }
        }
        return inputArguments.contains(flag);
    }

    /** {@code Module.isNativeAccessEnabled()} (JDK 22+), or null on JDK 21, which lacks it. */
    private static Boolean nativeAccessEnabled(Module target) {
        try {
            Method m = Module.class.getMethod("isNativeAccessEnabled");
            return (Boolean) m.invoke(target);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /**
     * Prints the flags for this JDK on one line, for a command line: {@code java $(./run flags) -cp ...}.
     * With the argument {@code cluster}, Hazelcast's too ({@link #clusterFlags()}).
     *
     * @param args nothing, or {@code cluster}; anything else prints the usage and exits with status 2
     */
    public static void main(String[] args) {
        if (args.length > 1 || (args.length == 1 && !args[0].equals("cluster"))) {
            System.err.println("usage: ./run flags [cluster]   (the JVM flags for this JDK; cluster adds Hazelcast's)");
            System.exit(2);
        }
        System.out.println(String.join(" ", args.length == 1 ? clusterFlags() : flags()));
    }

    static List<String> forJdk(List<String> defined, int feature) {
        if (feature < 24) {
            return defined;
        }
        List<String> flags = new ArrayList<>(defined);
        flags.add(ALLOW_UNSAFE_MEMORY_ACCESS);
        return List.copyOf(flags);
    }

    private static List<String> union(List<String> a, List<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private static List<String> list(String line) {
        String t = line.trim();
        return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = JvmFlags.class.getResourceAsStream("jvm-flags.properties")) {
            if (in == null) {
                throw new IllegalStateException("jvm-flags.properties is missing from primitives-thread");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
