package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.runtime.JvmFlags;
import io.github.pyconcurrent.shared.ChildJvm;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A user's {@link PoolProgram} runs, and its workers find its class, however its JVM was
 * launched: each test starts a real parent JVM the way a user would, and the parent starts real
 * worker JVMs. (Surefire's own default, a manifest-only jar, is what runs this class; the test
 * for it builds such a jar anew so that the parent is a fresh JVM.)
 */
class LaunchStylesTest {
    private static final long LIMIT_SECONDS = 120;

    @TempDir
    Path tmp;

    @AfterAll
    static void nothingLeft() {
        Leaks.assertNothingLeft();
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void javaDashCpListingEveryEntry(String method) throws Exception {
        assertRuns(command(List.of("-cp", String.join(File.pathSeparator, TestJars.testClassPath())), PoolProgram.class.getName(), method),
                true);
    }

    @Test
    void aManifestOnlyJarAsSurefireMakesIt() throws Exception {
        Manifest m = TestJars.manifest();
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH,
                String.join(" ", TestJars.testClassPath().stream().map(e -> Path.of(e).toUri().toString()).toList()));
        Path jar = tmp.resolve("surefirebooter.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            // the manifest is all there is
        }
        assertRuns(command(List.of("-cp", jar.toString()), PoolProgram.class.getName()), true);
    }

    @Test
    void javaDashJarWithAFatJar() throws Exception {
        Manifest m = TestJars.manifest();
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, PoolProgram.class.getName());
        Path jar = TestJars.fatJar(tmp.resolve("app-all.jar"), m);
        assertRuns(command(List.of("-jar", jar.toString())), true);
    }

    @Test
    void mvnExecJavaStyleContextClassLoader() throws Exception {
        // exec:java's java.class.path is Maven's launcher alone: here, a directory holding only the mimic.
        Path launcher = tmp.resolve("launcher");
        String name = ExecJavaMimic.class.getName().replace('.', '/') + ".class";
        Path target = launcher.resolve(name);
        Files.createDirectories(target.getParent());
        try (var in = ExecJavaMimic.class.getClassLoader().getResourceAsStream(name)) {
            Files.write(target, in.readAllBytes());
        }
        assertRuns(command(List.of("-cp", launcher.toString()), ExecJavaMimic.class.getName(),
                String.join(File.pathSeparator, TestJars.testClassPath()), PoolProgram.class.getName()), false);
    }

    private static List<String> command(List<String> launch, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ChildJvm.javaBinary());
        cmd.addAll(JvmFlags.flags());
        cmd.addAll(launch);
        cmd.addAll(List.of(args));
        return cmd;
    }

    private void assertRuns(List<String> command, boolean fromSystemLoader) throws Exception {
        Path log = tmp.resolve("out.txt");
        java.lang.Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean ended = p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS);
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(ended, "the program did not end within " + LIMIT_SECONDS + " s:\n" + out);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("loaded by the system class loader: " + fromSystemLoader), out);
            assertTrue(out.contains("squares [1, 4, 9, 16]"), out);
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }
}
