package io.github.pyconcurrent.multiprocessing;

import io.github.pyconcurrent.runtime.JvmFlags;
import io.github.pyconcurrent.shared.internal.ProcessIdentity;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The class path a child JVM gets: the one the user's code and this toolkit were loaded from,
 * whatever launched this JVM. Python's {@code spawn} start method has it easy (the child imports
 * {@code __main__} again from {@code sys.path}); a JVM's {@code java.class.path} is often not
 * where the user's classes came from:
 * <ul>
 *   <li>{@code java -cp …} and IDEs: it is, every entry listed.</li>
 *   <li>{@code java -jar app.jar} (a fat jar): it is the one jar, and the jar holds everything.</li>
 *   <li>Surefire with its manifest-only jar: it is that one jar, whose manifest {@code Class-Path}
 *       lists the rest; a child given the same jar reads the same manifest (and the command line
 *       stays short, which is why Surefire made the jar).</li>
 *   <li>{@code mvn exec:java}: it is Maven's own launcher (plexus-classworlds); the project and
 *       its dependencies are in a {@link URLClassLoader} that the plugin made the context class
 *       loader of the main thread. Surefire with {@code useSystemClassLoader=false} is alike.</li>
 * </ul>
 * So the child gets {@code java.class.path}, then the {@code file:} URLs of every
 * {@link URLClassLoader} between the system class loader and (a) the calling thread's context
 * class loader and (b) the loader of this toolkit's classes, parents first; then the code source
 * of any toolkit class the child must load that none of those covers (a loader that is no
 * {@link URLClassLoader}, as some IDEs and containers use). Entries appear once, in that order.
 *
 * <p>When none of that fits (a Spring Boot jar's nested jars, a module path), the system property
 * {@value #PROPERTY} sets the child's class path outright.
 */
final class ChildClassPath {
    /** Replaces the derived class path when set (entries separated by {@link File#pathSeparator}). */
    static final String PROPERTY = "pyconcurrent.child.classpath";

    private ChildClassPath() {}

    /**
     * The class path for a child JVM started from the calling thread: {@value #PROPERTY} if set,
     * else as the class comment says.
     */
    static String forChild() {
        String set = System.getProperty(PROPERTY, "").trim();
        if (!set.isEmpty()) {
            return set;
        }
        List<ClassLoader> loaders = new ArrayList<>();
        loaders.add(Thread.currentThread().getContextClassLoader());
        loaders.add(ChildClassPath.class.getClassLoader());
        return resolve(System.getProperty("java.class.path", ""), ClassLoader.getSystemClassLoader(), loaders,
                List.of(ChildMain.class, ProcessIdentity.class, JvmFlags.class));
    }

    /**
     * The class path joining {@code javaClassPath}, the URLs of the {@link URLClassLoader}s from
     * each of {@code loaders} up to (not including) {@code system}, and the code sources of
     * {@code needed} that none of those entries covers.
     */
    static String resolve(String javaClassPath, ClassLoader system, List<ClassLoader> loaders, List<Class<?>> needed) {
        Set<String> entries = new LinkedHashSet<>();
        for (String e : javaClassPath.split(File.pathSeparator)) {
            if (!e.isBlank()) {
                entries.add(e);
            }
        }
        for (ClassLoader loader : loaders) {
            List<ClassLoader> chain = new ArrayList<>();
            for (ClassLoader l = loader; l != null && l != system && l != ClassLoader.getPlatformClassLoader(); l = l.getParent()) {
                chain.add(l);
            }
            Collections.reverse(chain);
            for (ClassLoader l : chain) {
                if (l instanceof URLClassLoader u) {
                    for (URL url : u.getURLs()) {
                        Path p = fileOf(url);
                        if (p != null) {
                            entries.add(p.toString());
                        }
                    }
                }
            }
        }
        Set<Path> covered = covered(entries);
        for (Class<?> c : needed) {
            CodeSource source = c.getProtectionDomain().getCodeSource();
            Path p = source == null ? null : fileOf(source.getLocation());
            if (p != null && !covered.contains(p.toAbsolutePath().normalize())) {
                entries.add(p.toString());
                covered.add(p.toAbsolutePath().normalize());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Every entry, absolute, plus the {@code Class-Path} entries of the jars among them (one level, as the JVM reads them). */
    private static Set<Path> covered(Set<String> entries) {
        Set<Path> covered = new LinkedHashSet<>();
        for (String e : entries) {
            Path p;
            try {
                p = Path.of(e).toAbsolutePath().normalize();
            } catch (InvalidPathException ex) {
                continue;
            }
            covered.add(p);
            if (Files.isRegularFile(p)) {
                covered.addAll(manifestClassPath(p));
            }
        }
        return covered;
    }

    /** The {@code Class-Path} of {@code jar}'s manifest, resolved against the jar, in order; empty if none. */
    static List<Path> manifestClassPath(Path jar) {
        List<Path> paths = new ArrayList<>();
        try (JarFile f = new JarFile(jar.toFile())) {
            Manifest m = f.getManifest();
            String cp = m == null ? null : m.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (cp == null) {
                return paths;
            }
            URI base = jar.toUri();
            for (String rel : cp.trim().split("\\s+")) {
                if (rel.isEmpty()) {
                    continue;
                }
                try {
                    Path p = fileOf(base.resolve(rel).toURL());
                    if (p != null) {
                        paths.add(p.toAbsolutePath().normalize());
                    }
                } catch (IllegalArgumentException | IOException ex) {
                    // an entry the JVM would skip too
                }
            }
        } catch (IOException e) {
            // not a jar: nothing more it covers
        }
        return paths;
    }

    /** The file a {@code file:} URL names, or null for any other URL (nested jars, jrt:, http:). */
    private static Path fileOf(URL url) {
        if (url == null || !"file".equals(url.getProtocol())) {
            return null;
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
