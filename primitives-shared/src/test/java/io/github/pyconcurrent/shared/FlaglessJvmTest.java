package io.github.pyconcurrent.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.runtime.JvmFlags;
import io.github.pyconcurrent.runtime.MissingJvmFlagsError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's JVM started without the toolkit's flags: the first SharedDict fails with
 * {@link MissingJvmFlagsError}, which lists what to add exactly as it must be typed, instead of
 * Chronicle's {@code InaccessibleObjectException}.
 */
class FlaglessJvmTest {
    @TempDir
    Path tmp;

    /** Run in the flagless JVM: a user's program making its first SharedDict. */
    public static final class FirstDict {
        public static void main(String[] args) {
            Manager manager = null;
            try {
                manager = Manager.start();
                manager.dict(String.class, Integer.class).put("a", 1);
                System.out.println("no error");
            } catch (MissingJvmFlagsError e) {
                System.out.println("missing " + e.missing());
                System.out.println(e.getMessage());
            } finally {
                if (manager != null) {
                    manager.shutdown();
                }
            }
        }
    }

    @Test
    void theFirstSharedDictNamesTheMissingFlags() throws Exception {
        Path log = tmp.resolve("out.txt");
        Process p = new ProcessBuilder(ChildJvm.javaBinary(), "-cp", System.getProperty("java.class.path"), FirstDict.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the program did not end");
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains("no error"), out);
        assertFalse(out.contains("InaccessibleObjectException"), out);
        // Every one of the toolkit's opens and exports is named, each exactly as typed on a command line.
        List<String> required = JvmFlags.flags().stream().filter(f -> f.startsWith("--add-")).toList();
        String missingLine = out.lines().filter(l -> l.startsWith("missing ")).findFirst().orElse("");
        for (String flag : required) {
            assertTrue(missingLine.contains(flag), flag + " not in: " + out);
        }
        assertTrue(out.contains("SharedDict (Chronicle Map) needs JVM flags"), out);
        assertTrue(out.contains(String.join(" ", JvmFlags.flags())), "the whole list to copy: " + out);
    }
}
