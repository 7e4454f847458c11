package io.github.pyconcurrent.greenlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.runtime.JvmFlags;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a JVM picks its backend, checked in fresh child JVMs (the choice is made once per JVM). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackendSelectionTest {

    /** With the toolkit's JVM flags the default backend is the continuation one. */
    @Test
    void withTheFlagsTheDefaultIsContinuation() throws Exception {
        assertEquals("continuation switched true", probe(JvmFlags.flags()));
    }

    /** Without the export the module still works, on the virtual-thread backend. */
    @Test
    void withoutTheExportItFallsBackToVirtualThreads() throws Exception {
        assertEquals("virtual-thread switched true", probe(List.of()));
    }

    /** Forcing the continuation backend without the export fails clearly, naming the flag. */
    @Test
    void forcingAnUnusableBackendFailsClearly() throws Exception {
        String out = probe(List.of("-Dpyconcurrent.greenlet.backend=continuation"));
        assertTrue(out.startsWith("failed: ") && out.contains("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED"), out);
    }

    private static String probe(List<String> jvmArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BackendProbe.class.getName());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            assertTrue(p.waitFor(45, TimeUnit.SECONDS), "probe JVM did not finish");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            String[] lines = out.split("\\R");
            return lines[lines.length - 1];
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
