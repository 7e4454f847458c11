package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.github.pyconcurrent.runtime.JvmFlags;
import io.github.pyconcurrent.shared.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The child JVMs' class-data archive: keyed by what it depends on, built by a real training child
 * off the critical path, mapped by the children after it, and never in the way when it is
 * missing, foreign, incomplete or cannot be written.
 */
class ClassDataCacheTest {
    private static final long LIMIT_SECONDS = 180;
    /** A class of the toolkit read from an archive: the dynamic one's lines end in " (top)", the AOT cache's do not. */
    private static final String ARCHIVED = "io.github.pyconcurrent.multiprocessing.ChildMain source: shared objects file";

    @TempDir
    Path tmp;

    private String savedDir;

    @BeforeEach
    void useTempDir() {
        savedDir = System.getProperty(ClassDataCache.DIR_PROPERTY);
        System.setProperty(ClassDataCache.DIR_PROPERTY, tmp.resolve("cache").toString());
    }

    @AfterEach
    void restoreDir() {
        if (savedDir == null) {
            System.clearProperty(ClassDataCache.DIR_PROPERTY);
        } else {
            System.setProperty(ClassDataCache.DIR_PROPERTY, savedDir);
        }
    }

    @AfterAll
    static void nothingLeft() {
        Leaks.assertNothingLeft();
    }

    @Test
    void theKeyFollowsTheJarsAndOptionsButNotSystemProperties() throws Exception {
        Path jar = emptyJar(tmp.resolve("a.jar"), null);
        String key = ClassDataCache.key(command(jar, "-Da=1", "-Xmx64m"), List.of(jar.toString()));
        assertEquals(key, ClassDataCache.key(command(jar, "-Da=2", "-Xmx64m"), List.of(jar.toString())));
        assertNotEquals(key, ClassDataCache.key(command(jar, "-Da=1", "-Xmx32m"), List.of(jar.toString())));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        assertNotEquals(key, ClassDataCache.key(command(jar, "-Da=1", "-Xmx64m"), List.of(jar.toString())),
                "a rebuilt jar makes another key");
    }

    @Test
    void offByPropertyOrWhenTheUserNamesAnArchive() throws Exception {
        Path jar = emptyJar(tmp.resolve("a.jar"), null);
        assertEquals(null, ClassDataCache.forCommand(command(jar, "-XX:SharedArchiveFile=/x.jsa")));
        assertEquals(null, ClassDataCache.forCommand(command(jar, "-XX:AOTCache=/x.aot")));
        System.setProperty(ClassDataCache.PROPERTY, "false");
        try {
            assertEquals(null, ClassDataCache.forCommand(command(jar)));
        } finally {
            System.clearProperty(ClassDataCache.PROPERTY);
        }
        assertTrue(ClassDataCache.forCommand(command(jar)) != null);
    }

    @ParameterizedTest
    @EnumSource(ClassDataCache.Format.class)
    void aFileThatIsNoCompleteArchiveIsNotUsedAndIsRemoved(ClassDataCache.Format format) throws Exception {
        Path jar = emptyJar(tmp.resolve("a.jar"), null);
        System.setProperty(ClassDataCache.FORMAT_PROPERTY, format.name());
        ClassDataCache cache;
        try {
            cache = ClassDataCache.forCommand(command(jar));
        } finally {
            System.clearProperty(ClassDataCache.FORMAT_PROPERTY);
        }
        assertEquals(List.of(), cache.useOptions(), "no archive yet");
        Files.createDirectories(cache.archive().getParent());
        byte[] magic = {(byte) format.magic, (byte) (format.magic >> 8), (byte) (format.magic >> 16), (byte) (format.magic >> 24)};

        Path dumped = cache.trainingFile();
        Files.write(dumped, new byte[] {magic[0], magic[1], magic[2], magic[3], 1, 2, 3, 4});
        assertTrue(cache.install(dumped, 0));
        assertEquals(format.useOptions(cache.archive()), cache.useOptions());
        assertTrue(cache.useOptions().contains(ClassDataCache.QUIET), "the JVM's CDS lines stay off the child's stdout");
        assertTrue(cache.useOptions().getLast().endsWith("=" + cache.archive()));
        assertFalse(Files.exists(dumped), "the dump was moved into place");

        Files.write(cache.archive(), magic); // truncated
        assertEquals(List.of(), cache.useOptions());
        assertFalse(Files.exists(cache.archive()), "an incomplete archive is deleted, so that the next training replaces it");

        dumped = cache.trainingFile();
        Files.write(dumped, "not an archive at all".getBytes(StandardCharsets.US_ASCII));
        cache.install(dumped, 0);
        assertEquals(List.of(), cache.useOptions(), "a foreign file is not used");
    }

    @Test
    void aFailedTrainingInstallsNothing() throws Exception {
        Path jar = emptyJar(tmp.resolve("a.jar"), null);
        ClassDataCache cache = ClassDataCache.forCommand(command(jar));
        Files.createDirectories(cache.archive().getParent());
        Path dumped = cache.trainingFile();
        Files.write(dumped, new byte[] {(byte) 0xa8, (byte) 0xab, 0x0b, (byte) 0xf0});
        assertFalse(cache.install(dumped, 1));
        assertFalse(Files.exists(dumped));
        assertFalse(Files.exists(cache.archive()));
    }

    @Test
    void onlyClassPathsOfJarsInAWritableDirectoryAreTrained() throws Exception {
        Path jar = emptyJar(tmp.resolve("a.jar"), null);
        assertTrue(ClassDataCache.forCommand(command(jar)).trainable());

        Path classes = Files.createDirectories(tmp.resolve("classes"));
        Files.writeString(classes.resolve("A.class"), "x");
        assertFalse(cacheFor(jar + java.io.File.pathSeparator + classes).trainable(), "a directory on the class path");
        Path booter = emptyJar(tmp.resolve("booter.jar"), classes.toUri().toString());
        assertFalse(cacheFor(booter.toString()).trainable(), "a manifest that adds a directory, as Surefire's");
        Path siblings = emptyJar(tmp.resolve("lib.jar"), "missing-sibling.jar");
        assertTrue(cacheFor(siblings.toString()).trainable(), "a manifest naming absent jars (Chronicle's) is harmless");

        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        System.setProperty(ClassDataCache.DIR_PROPERTY, file.resolve("cache").toString());
        assertFalse(ClassDataCache.forCommand(command(jar)).trainable(), "a cache directory that cannot be made");
    }

    @Test
    void theDumpOfATrainingWhoseParentIsGoneIsDeletedBeforeTheNextTraining() throws Exception {
        Path jar = emptyJar(tmp.resolve("a.jar"), null);
        ClassDataCache cache = ClassDataCache.forCommand(command(jar));
        Files.createDirectories(cache.archive().getParent());
        java.lang.Process gone = new ProcessBuilder(ChildJvm.javaBinary(), "-version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        gone.waitFor();
        Path orphan = cache.archive().resolveSibling(cache.archive().getFileName() + ".tmp-" + gone.pid() + "-1");
        Files.write(orphan, new byte[] {1, 2, 3});
        Path mine = cache.trainingFile();
        Files.write(mine, new byte[] {1, 2, 3});

        assertTrue(cache.trainable());
        assertFalse(Files.exists(orphan), "the dump of a parent that is gone");
        assertTrue(Files.exists(mine), "this JVM's own training is in flight: kept");
    }

    @Test
    void aParentTrainsTheArchiveAndItsLaterChildrenMapIt() throws Exception {
        Path jar = TestJars.fatJar(tmp.resolve("app-all.jar"), TestJars.manifest());
        Path cache = tmp.resolve("cache");

        String out = run(jar, cache, "first");
        assertTrue(out.contains("first child ran") && out.contains("second child ran"), out);
        assertTrue(out.contains("archive true exit codes 0 0"), out);
        assertTrue(classLoadLog(out).contains(ARCHIVED), "the child after the training maps the archive");
        // The training takes a started child's whole path, and loads the program's main class
        // (its target's capturing class): a class missing from the archive would make a child
        // search (and open) the class path's jars for it.
        List<String> fromJars = classLoadLog(out).lines()
                .filter(l -> l.contains("] io.github.pyconcurrent.") && l.contains(" source: file:"))
                .toList();
        assertEquals(List.of(), fromJars, "toolkit and main classes the trained child loaded from a jar");
        // Nor does a child whose target is a lambda start what it does not need: the JDK's
        // logging (its backend search opens every jar of the class path; the serialization
        // filter's logger and System.exit's would start it), a Java stream, a message digest.
        for (String absent : List.of("jdk.internal.logger.BootstrapLogger$DetectBackend", "java.io.ObjectInputStream",
                "sun.security.provider.SHA2", "java.util.zip.ZipFile$Source")) {
            assertFalse(classLoadLog(out).contains("] " + absent + " source:"), absent + " loaded in the second child");
        }
        try (Stream<Path> files = Files.list(cache.resolve("class-data"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(2, names.size(), names.toString());
            assertTrue(names.get(0).matches("child-\\p{XDigit}+\\.(aot|jsa)") && names.get(1).equals(names.get(0) + ".size"),
                    names.toString());
        }
        Path jnaDir = JnaDispatchLibrary.directory(cache);
        Path dispatch = jnaDir.resolve(System.mapLibraryName("jnidispatch"));
        assertTrue(Files.size(dispatch) > 0, "JNA's dispatch library is extracted once, for the children");
        assertTrue(out.contains("second child ran, JNA from " + jnaDir), out);

        // Another JVM of the same command finds both: its first child maps the archive too. A
        // dispatch library cut short (a full disk) is replaced, never given to a child.
        Files.write(dispatch, new byte[16]);
        out = run(jar, cache, "second");
        assertTrue(out.contains("second child ran, JNA from " + jnaDir), out);
        assertEquals(Files.size(dispatch), Native.class.getResource("/com/sun/jna/" + Platform.RESOURCE_PREFIX + "/"
                + dispatch.getFileName()).openConnection().getContentLengthLong());
        assertTrue(out.contains("archive true exit codes 0 0"), out);
        assertTrue(classLoadLog(out).contains(ARCHIVED), out);

        // One of another JDK version under the same name: the children start without it, quietly.
        Path archive;
        try (Stream<Path> files = Files.list(cache.resolve("class-data"))) {
            archive = files.filter(p -> !p.toString().endsWith(".size")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(archive);
        bytes[8] ^= 0x7f; // the archive's format version
        Files.write(archive, bytes);
        out = run(jar, cache, "third");
        assertTrue(out.contains("archive true exit codes 0 0"), out);
        assertFalse(classLoadLog(out).contains(ARCHIVED), out);
        assertFalse(out.contains("[cds") || out.contains("[aot"), "no CDS message reaches the user's output:\n" + out);
    }

    /** Runs {@link ClassDataProgram} in a fresh JVM from {@code jar}; returns its output. */
    private String run(Path jar, Path cache, String name) throws Exception {
        Path log = tmp.resolve(name + ".txt");
        List<String> cmd = new ArrayList<>();
        cmd.add(ChildJvm.javaBinary());
        cmd.addAll(JvmFlags.flags());
        cmd.add("-D" + ClassDataCache.DIR_PROPERTY + "=" + cache);
        cmd.add("-D" + ChildLauncher.CHILD_OPTIONS_PROPERTY + "=-Xlog:class+load=info:file=" + tmp.resolve("class-load-%p.log"));
        cmd.add("-D" + Warmup.CHRONICLE_PROPERTY + "=false"); // a smaller archive: a faster test
        cmd.addAll(List.of("-cp", jar.toString(), ClassDataProgram.class.getName()));
        java.lang.Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean ended = p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS);
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(ended, "the program did not end within " + LIMIT_SECONDS + " s:\n" + out);
            assertEquals(0, p.exitValue(), out);
            return out;
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    /** The class-load log of the program's second child, named in its output. */
    private String classLoadLog(String out) throws Exception {
        Matcher m = Pattern.compile("second pid (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        return Files.readString(tmp.resolve("class-load-" + m.group(1) + ".log"));
    }

    private static ClassDataCache cacheFor(String classPath) {
        return ClassDataCache.forCommand(List.of("java", "-cp", classPath, "Main", "1"));
    }

    private static List<String> command(Path jar, String... options) {
        List<String> c = new ArrayList<>(List.of("java"));
        c.addAll(List.of(options));
        c.addAll(List.of("-cp", jar.toString(), "Main", "123"));
        return c;
    }

    private static Path emptyJar(Path jar, String classPathAttribute) throws Exception {
        Manifest m = TestJars.manifest();
        if (classPathAttribute != null) {
            m.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPathAttribute);
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            // the manifest is all there is
        }
        return jar;
    }
}
