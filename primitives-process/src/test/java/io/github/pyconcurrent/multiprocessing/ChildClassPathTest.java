package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pyconcurrent.runtime.JvmFlags;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link ChildClassPath} finds where a parent's classes came from. */
class ChildClassPathTest {
    private static final ClassLoader SYSTEM = ClassLoader.getSystemClassLoader();
    private static final String SEP = File.pathSeparator;

    @TempDir
    Path tmp;

    @Test
    void aPlainClassPathIsPassedOnAsItIs() {
        assertEquals("a.jar" + SEP + "classes", ChildClassPath.resolve("a.jar" + SEP + "classes", SYSTEM, List.of(SYSTEM), List.of()));
    }

    @Test
    void execJavaContextLoaderUrlsFollowMavensOwnClassPath() throws Exception {
        Path classes = Files.createDirectories(tmp.resolve("target/classes"));
        Path dep = tmp.resolve("dep.jar");
        try (URLClassLoader exec = new URLClassLoader(new URL[] {classes.toUri().toURL(), dep.toUri().toURL()}, SYSTEM)) {
            assertEquals(String.join(SEP, "boot/plexus-classworlds.jar", classes.toString(), dep.toString()),
                    ChildClassPath.resolve("boot/plexus-classworlds.jar", SYSTEM, List.of(exec, SYSTEM), List.of()));
        }
    }

    @Test
    void parentLoadersComeFirstAndEachEntryOnce() throws Exception {
        Path a = tmp.resolve("a.jar");
        Path b = tmp.resolve("b.jar");
        try (URLClassLoader parent = new URLClassLoader(new URL[] {a.toUri().toURL()}, SYSTEM);
                URLClassLoader child = new URLClassLoader(new URL[] {b.toUri().toURL(), a.toUri().toURL()}, parent)) {
            assertEquals(String.join(SEP, "x.jar", a.toString(), b.toString()),
                    ChildClassPath.resolve("x.jar", SYSTEM, List.of(child, parent), List.of()));
        }
    }

    @Test
    void urlsAChildCannotUseAreLeftOut() throws Exception {
        try (URLClassLoader nested = new URLClassLoader(new URL[] {
                URI.create("jar:file:/app.jar!/BOOT-INF/lib/x.jar").toURL(), URI.create("http://example.invalid/y.jar").toURL()}, SYSTEM)) {
            assertEquals("app.jar", ChildClassPath.resolve("app.jar", SYSTEM, List.of(nested), List.of()));
        }
    }

    @Test
    void aNeededClassFromALoaderThatListsNothingIsAdded() throws Exception {
        // A loader that is no URLClassLoader (some IDEs, containers): the toolkit's own code source still goes in.
        String toolkit = Path.of(ChildMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        assertEquals("other.jar" + SEP + toolkit, ChildClassPath.resolve("other.jar", SYSTEM, List.of(), List.of(ChildMain.class)));
    }

    @Test
    void aNeededClassListedByAManifestOnlyJarIsNotAddedAgain() throws Exception {
        Path toolkit = Path.of(ChildMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path flags = Path.of(JvmFlags.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path booter = manifestOnlyJar(tmp.resolve("surefirebooter.jar"), toolkit);
        assertEquals(booter + SEP + flags, ChildClassPath.resolve(booter.toString(), SYSTEM, List.of(SYSTEM),
                List.of(ChildMain.class, JvmFlags.class)));
    }

    @Test
    void theManifestClassPathIsResolvedAgainstTheJar() throws Exception {
        Files.createDirectories(tmp.resolve("lib"));
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, "lib/a.jar ../b.jar");
        Path jar = tmp.resolve("sub/app.jar");
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            // the manifest is all there is
        }
        assertEquals(List.of(tmp.resolve("sub/lib/a.jar"), tmp.resolve("b.jar")), ChildClassPath.manifestClassPath(jar));
    }

    @Test
    void thePropertyReplacesTheDerivedPath() {
        String before = System.getProperty(ChildClassPath.PROPERTY);
        System.setProperty(ChildClassPath.PROPERTY, "/opt/app/lib/*");
        try {
            assertEquals("/opt/app/lib/*", ChildClassPath.forChild());
        } finally {
            if (before == null) {
                System.clearProperty(ChildClassPath.PROPERTY);
            } else {
                System.setProperty(ChildClassPath.PROPERTY, before);
            }
        }
    }

    @Test
    void underSurefireTheChildGetsThisJvmsClassPath() {
        // Surefire's java.class.path (an argument file's list here, or its manifest-only jar) covers the toolkit's classes.
        List<String> expected = java.util.Arrays.stream(System.getProperty("java.class.path").split(SEP)).filter(e -> !e.isEmpty()).toList();
        assertEquals(expected, List.of(ChildClassPath.forChild().split(SEP)));
    }

    private static Path manifestOnlyJar(Path jar, Path... entries) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH,
                String.join(" ", java.util.Arrays.stream(entries).map(e -> e.toUri().toString()).toList()));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            // the manifest is all there is
        }
        return jar;
    }
}
