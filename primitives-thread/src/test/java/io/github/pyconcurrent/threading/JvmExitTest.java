package io.github.pyconcurrent.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.pyconcurrent.runtime.JvmFlags;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Python's interpreter-exit rule in a real child JVM: a program whose {@code main} returns waits
 * for its non-daemon threads, and does not wait for daemon threads.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JvmExitTest {

    private static final long CHILD_TIMEOUT_SECONDS = 60;

    private record Outcome(int exitCode, String stdout, String stderr) {}

    private static Outcome runChild(String mode) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(JvmFlags.flags());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(JvmExitMain.class.getName());
        command.add(mode);
        Process child = new ProcessBuilder(command).start();
        try {
            child.getOutputStream().close();
            // Outputs are small; read stderr on the side so neither pipe can fill up.
            var stderr = new java.util.concurrent.CompletableFuture<String>();
            java.lang.Thread errReader = new java.lang.Thread(() -> stderr.complete(readAll(child.getErrorStream())));
            errReader.setDaemon(true);
            errReader.start();
            String stdout = readAll(child.getInputStream());
            if (!child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("child JVM (" + mode + ") did not exit within " + CHILD_TIMEOUT_SECONDS + " s");
            }
            return new Outcome(child.exitValue(), stdout, stderr.join());
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }

    @Test
    @DisplayName("the JVM waits, after main returns, for a non-daemon Thread (daemon flag inherited from main)")
    void nonDaemonKeepsJvmAlive() throws Exception {
        Outcome o = runChild("non-daemon");
        assertEquals(0, o.exitCode(), o.toString());
        assertEquals(List.of("main is MainThread", "worker daemon=false", "main returning", "worker outlived main"),
                o.stdout().lines().toList(), o.toString());
    }

    @Test
    @DisplayName("a daemon Thread blocked forever does not keep the JVM alive")
    void daemonDoesNotHoldJvm() throws Exception {
        Outcome o = runChild("daemon");
        assertEquals(0, o.exitCode(), o.toString());
        assertEquals(List.of("main is MainThread", "worker daemon=true", "main returning"),
                o.stdout().lines().toList(), o.toString());
        assertTrue(o.stderr().isEmpty() || !o.stderr().contains("Exception"), o.stderr());
    }
}
