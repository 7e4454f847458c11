package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.runtime.JvmFlags;
import java.lang.System.Logger.Level;

/**
 * The one place where Chronicle Map is configured for this toolkit, before any Chronicle class is
 * initialised. Every class of ours that touches Chronicle calls {@link #init()} from its static
 * initialiser, so the settings below are in force whichever of them a JVM loads first (the
 * creating {@link Manager}, or a {@link SharedDict} handle deserialised in a child JVM).
 *
 * <p>What it sets (only when the user has not set the same system property already):
 * <ul>
 *   <li>{@code chronicle.analytics.disable=true}: Chronicle must never phone home. The root pom's
 *       {@code pyconcurrent.jvm.flags} carries the same flag; this covers JVMs started without it.
 *   <li>{@code chronicle.announcer.disable=true} and {@code chronicle.disk.monitor.disable=true}:
 *       no start-up banner, no disk-space monitor thread (our maps live in /dev/shm).
 *   <li>{@code slf4j.internal.verbosity=ERROR}: Chronicle logs through slf4j; this toolkit logs
 *       only through {@link System.Logger}, so there is no slf4j provider and slf4j's
 *       "no providers" warning is silenced. Chronicle's own warnings and errors are not lost:
 *       they arrive through its exception-handler hooks, which {@link #init()} routes to
 *       {@code System.Logger} (logger names are Chronicle's class names).
 *   <li>{@code net.openhft.chronicle.map.lockTimeoutSeconds}: how long a dict operation waits for
 *       a segment lock before it fails with {@link DictLockTimeoutException}; from our tunable
 *       {@value #LOCK_TIMEOUT_PROPERTY} (default {@value #DEFAULT_LOCK_TIMEOUT_SECONDS} s;
 *       Chronicle's own default is 60 s). A lock is only ever held that long when its holder died.
 *   <li>Chronicle's POSIX binding: the no-op one unless {@value #NATIVE_POSIX_PROPERTY} is true.
 * </ul>
 */
final class ChronicleSupport {
    /** Seconds a SharedDict operation waits for a segment lock before it gives up. */
    static final String LOCK_TIMEOUT_PROPERTY = "pyconcurrent.shared.dict.lockTimeoutSeconds";
    static final int DEFAULT_LOCK_TIMEOUT_SECONDS = 5;
    /**
     * Set to true to let Chronicle load its native POSIX binding (jnr-ffi). By default it gets its
     * no-op binding: a SharedDict never needs it (its file is sparse, so no fallocate; it never
     * msyncs), and loading it costs a fresh JVM about a third of a second and an
     * {@code ldconfig -p} subprocess. JVM-wide: another Chronicle library in the same JVM that
     * relies on fallocate/msync would want this set.
     */
    static final String NATIVE_POSIX_PROPERTY = "pyconcurrent.shared.chronicleNativePosix";

    static {
        // Before any Chronicle class: without the flags Chronicle fails with an InaccessibleObjectException that names no fix.
        JvmFlags.require("SharedDict (Chronicle Map)", JvmFlags.flags());
        setIfAbsent("chronicle.analytics.disable", "true");
        setIfAbsent("chronicle.announcer.disable", "true");
        setIfAbsent("chronicle.disk.monitor.disable", "true");
        setIfAbsent("slf4j.internal.verbosity", "ERROR");
        setIfAbsent("net.openhft.chronicle.map.lockTimeoutSeconds",
                System.getProperty(LOCK_TIMEOUT_PROPERTY, Integer.toString(DEFAULT_LOCK_TIMEOUT_SECONDS)));
        if (!Boolean.getBoolean(NATIVE_POSIX_PROPERTY)) {
            net.openhft.posix.PosixAPI.useNoOpPosixApi();
        }
        ChronicleLogging.install();
        definePrecompiledNatives();
        io.github.pyconcurrent.shared.internal.ChronicleInUse.mark();
    }

    /** Where the build put the value classes it compiled for Chronicle (see GenerateChronicleNatives). */
    private static final String NATIVES = "chronicle-natives/";

    /**
     * Defines, in Chronicle's own package and class loader, the {@code $$Native} value classes
     * compiled at build time, so that Chronicle finds them loaded instead of compiling them with
     * javac in this JVM. They ship as resources, not as classes, so that this jar holds no class
     * of another project's package. If one cannot be defined (another copy is loaded already, or
     * a class loader forbids it) Chronicle compiles its own, as it would without us: slower, not
     * wrong.
     */
    private static void definePrecompiledNatives() {
        try (java.io.InputStream index = ChronicleSupport.class.getResourceAsStream(NATIVES + "index")) {
            if (index == null) {
                return;
            }
            for (String name : new String(index.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (name.isBlank()) {
                    continue;
                }
                try (java.io.InputStream bytes = ChronicleSupport.class.getResourceAsStream(NATIVES + name + ".bytes")) {
                    Class<?> valueInterface = Class.forName(name.substring(0, name.length() - "$$Native".length()), false,
                            ChronicleSupport.class.getClassLoader());
                    java.lang.invoke.MethodHandles.privateLookupIn(valueInterface, java.lang.invoke.MethodHandles.lookup())
                            .defineClass(bytes.readAllBytes());
                } catch (ReflectiveOperationException | LinkageError | RuntimeException | java.io.IOException e) {
                    System.getLogger(ChronicleSupport.class.getName()).log(Level.DEBUG,
                            "Chronicle compiles " + name + " itself: the pre-compiled copy could not be defined", e);
                }
            }
        } catch (java.io.IOException e) {
            System.getLogger(ChronicleSupport.class.getName()).log(Level.DEBUG, "no pre-compiled Chronicle classes", e);
        }
    }

    private ChronicleSupport() {}

    /** Runs the static initialiser above (once per JVM); call before touching any Chronicle class. */
    static void init() {
        // the work is in the static initialiser
    }

    /** The segment-lock timeout in force in this JVM. */
    static int lockTimeoutSeconds() {
        return Integer.parseInt(System.getProperty("net.openhft.chronicle.map.lockTimeoutSeconds"));
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Chronicle's warn/error/perf/debug hooks, routed to System.Logger. */
    private static final class ChronicleLogging implements net.openhft.chronicle.core.onoes.ExceptionHandler {
        private final Level level;

        private ChronicleLogging(Level level) {
            this.level = level;
        }

        static void install() {
            net.openhft.chronicle.core.Jvm.setExceptionHandlers(
                    new ChronicleLogging(Level.ERROR), new ChronicleLogging(Level.WARNING),
                    new ChronicleLogging(Level.DEBUG), new ChronicleLogging(Level.DEBUG));
        }

        @Override
        public void on(Class<?> clazz, String message, Throwable thrown) {
            log(clazz == null ? "net.openhft.chronicle" : clazz.getName(), message, thrown);
        }

        @Override
        public void on(org.slf4j.Logger logger, String message, Throwable thrown) {
            log(logger == null ? "net.openhft.chronicle" : logger.getName(), message, thrown);
        }

        @Override
        public boolean isEnabled(Class<?> clazz) {
            return System.getLogger(clazz == null ? "net.openhft.chronicle" : clazz.getName()).isLoggable(level);
        }

        private void log(String loggerName, String message, Throwable thrown) {
            System.Logger logger = System.getLogger(loggerName);
            if (logger.isLoggable(level)) {
                logger.log(level, message, thrown);
            }
        }
    }
}
