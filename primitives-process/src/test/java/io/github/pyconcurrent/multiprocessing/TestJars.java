package io.github.pyconcurrent.multiprocessing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Test helper: this test JVM's class path, and one jar holding all of it (a user's fat jar). */
final class TestJars {
    private TestJars() {}

    /** Every entry this test JVM loads from, with Surefire's manifest-only jar opened up. */
    static List<String> testClassPath() {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            List<Path> listed = Files.isRegularFile(p) ? ChildClassPath.manifestClassPath(p) : List.of();
            if (listed.isEmpty()) {
                entries.add(e);
            } else {
                listed.forEach(l -> entries.add(l.toString()));
            }
        }
        return entries;
    }

    /** A manifest with only its version, for the caller to add to. */
    static Manifest manifest() {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        return m;
    }

    /** Writes {@code jar}: {@code manifest} and every class and resource of {@link #testClassPath()}, first copy wins. */
    static Path fatJar(Path jar, Manifest manifest) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            Set<String> written = new HashSet<>();
            for (String entry : testClassPath()) {
                Path p = Path.of(entry);
                if (Files.isDirectory(p)) {
                    try (Stream<Path> files = Files.walk(p)) {
                        for (Path f : files.filter(Files::isRegularFile).toList()) {
                            copy(out, written, p.relativize(f).toString().replace(File.separatorChar, '/'), Files.readAllBytes(f));
                        }
                    }
                } else if (Files.isRegularFile(p)) {
                    try (JarFile in = new JarFile(p.toFile())) {
                        for (JarEntry e : in.stream().filter(e -> !e.isDirectory()).toList()) {
                            copy(out, written, e.getName(), in.getInputStream(e).readAllBytes());
                        }
                    }
                }
            }
        }
        return jar;
    }

    private static void copy(JarOutputStream out, Set<String> written, String name, byte[] bytes) throws IOException {
        String upper = name.toUpperCase(Locale.ROOT);
        boolean skip = upper.equals("META-INF/MANIFEST.MF") || name.endsWith("module-info.class")
                || (upper.startsWith("META-INF/") && (upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA")));
        if (skip || !written.add(name)) {
            return;
        }
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }
}
