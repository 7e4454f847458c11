package io.github.pyconcurrent.shared.internal;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The C library for the toolkit's JNA bindings ({@code Futex}, the process module's
 * {@code Posix}, socketserver's {@code Libc}: each registers against {@link #get()}), and what a
 * child JVM needs to load it cheaply. Not API: public only so that the toolkit's other modules
 * can reach it.
 *
 * <p>JNA's first use in a JVM runs {@code /sbin/ldconfig -p} (a fork and exec, seen in
 * {@code strace -f} of every child JVM) to build its library search path, unless the system
 * property {@value #SEARCH_PATH_PROPERTY} is set: child JVMs are given it
 * ({@link #childSearchPathOption()}).
 */
public final class CLibrary {
    /** JNA's search path for libraries by name; computed with {@code ldconfig -p} when unset. */
    public static final String SEARCH_PATH_PROPERTY = "jna.platform.library.path";

    private CLibrary() {}

    /**
     * The C library, by JNA's own name for it. (Opening it by its soname instead, one
     * {@code NativeLibrary} shared by all three bindings, made a process-shared lock's futex wait
     * hang now and then in a child JVM — ProcessTest's twenty children under one RLock, 3 runs in
     * 5 — and never with JNA's name: 0 in 7. Not understood; not worth the few milliseconds.)
     *
     * @return JNA's handle on the C library (one per JVM)
     */
    public static NativeLibrary get() {
        return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
    }

    /**
     * {@code -Djna.platform.library.path=...} for a child JVM's command line, so that its JNA
     * skips {@code ldconfig -p}: this JVM's value if JNA already computed it here, else the
     * directory this process's own C library was mapped from plus the usual system directories;
     * null when neither is known (the child then computes it, as JNA does by default).
     *
     * @return the {@code -D} option, or null
     */
    public static String childSearchPathOption() {
        String known = System.getProperty(SEARCH_PATH_PROPERTY);
        if (known == null) {
            known = searchPathFromMaps(Path.of("/proc/self/maps"));
        }
        return known == null ? null : "-D" + SEARCH_PATH_PROPERTY + "=" + known;
    }

    /** The directories of the C libraries mapped in {@code maps}, then /usr/lib and /lib; null if none is. */
    static String searchPathFromMaps(Path maps) {
        Set<String> dirs = new LinkedHashSet<>();
        try (Stream<String> lines = Files.lines(maps)) {
            lines.map(l -> l.substring(l.lastIndexOf(' ') + 1))
                    .filter(p -> p.startsWith("/") && Path.of(p).getFileName().toString().startsWith("libc.so"))
                    .forEach(p -> dirs.add(Path.of(p).getParent().toString()));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (dirs.isEmpty()) {
            return null;
        }
        dirs.addAll(List.of("/usr/lib", "/lib"));
        return String.join(":", dirs);
    }
}
