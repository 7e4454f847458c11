package io.github.pyconcurrent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class JvmFlagsTest {

    /** The flags were filtered from the root pom, not left as a ${placeholder}. */
    @Test
    void flagsAreResolvedFromThePom() {
        List<String> flags = JvmFlags.definedFlags();
        assertTrue(flags.contains("-Dchronicle.analytics.disable=true"), flags::toString);
        assertTrue(flags.contains("--enable-native-access=ALL-UNNAMED"), flags::toString);
        assertTrue(flags.stream().noneMatch(f -> f.contains("${")), flags::toString);
    }

    /** Surefire runs this very JVM with the same flags, so tests see what users get. */
    @Test
    void testJvmRunsWithTheFlags() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        assertTrue(args.containsAll(JvmFlags.flags()), () -> "missing: " + JvmFlags.flags().stream()
                .filter(f -> !args.contains(f)).toList());
    }

    /** The README shows users exactly the flags the toolkit defines. */
    @Test
    void readmeShowsTheSameFlags() throws IOException {
        Path readme = Path.of("..", "README.md");
        assumeTrue(Files.exists(readme), "built outside the project checkout");
        String text = Files.readString(readme);
        int begin = text.indexOf("<!-- jvm-flags:begin -->");
        int end = text.indexOf("<!-- jvm-flags:end -->");
        assertTrue(begin >= 0 && end > begin, "README lacks the jvm-flags block");
        List<String> shown = Arrays.stream(text.substring(begin, end).split("\n"))
                .map(String::trim)
                .filter(l -> l.startsWith("-"))
                .toList();
        assertEquals(JvmFlags.definedFlags(), shown);
    }

    /** JDK 21 would refuse to start with the Unsafe option; JDK 24+ gets it, after the defined flags. */
    @Test
    void unsafeAllowanceOnlyFromJdk24() {
        List<String> defined = List.of("-Da=1");
        assertEquals(defined, JvmFlags.forJdk(defined, 21));
        assertEquals(defined, JvmFlags.forJdk(defined, 23));
        assertEquals(List.of("-Da=1", JvmFlags.ALLOW_UNSAFE_MEMORY_ACCESS), JvmFlags.forJdk(defined, 24));
    }
}
