package io.github.pyconcurrent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    /** Opens and exports are asked of the module system: this test JVM has the toolkit's, not others. */
    @Test
    void opensAndExportsAreAskedOfTheModuleSystem() {
        Module here = JvmFlagsTest.class.getModule();
        assertTrue(JvmFlags.inForce("--add-opens=java.base/java.lang=ALL-UNNAMED", here, List.of()));
        assertTrue(JvmFlags.inForce("--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", here, List.of()));
        assertFalse(JvmFlags.inForce("--add-opens=java.base/java.util.zip=ALL-UNNAMED", here, List.of()));
        assertFalse(JvmFlags.inForce("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", here,
                List.of("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")), "an argument the module system did not apply");
        assertFalse(JvmFlags.inForce("--add-modules=java.se", here, List.of()), "java.se is resolved only when asked for");
        assertTrue(JvmFlags.inForce("--add-modules=java.base", here, List.of()));
    }

    @Test
    void propertiesAndOtherFlags() {
        Module here = JvmFlagsTest.class.getModule();
        assertTrue(JvmFlags.inForce("-Dchronicle.analytics.disable=true", here, List.of()));
        assertFalse(JvmFlags.inForce("-Dpyconcurrent.test.never.set=1", here, List.of()));
        assertTrue(JvmFlags.inForce("--enable-native-access=ALL-UNNAMED", here, List.of()));
        assertTrue(JvmFlags.inForce("-XX:+SomeOption", here, List.of("-XX:+SomeOption")));
        assertFalse(JvmFlags.inForce("-XX:+SomeOption", here, List.of()));
    }

    /** The toolkit's flags are all in force in this (Surefire-started) JVM: require passes. */
    @Test
    void requirePassesWithTheFlags() {
        JvmFlags.require("this test", JvmFlags.flags());
        assertEquals(List.of(), JvmFlags.missing(JvmFlags.flags(), JvmFlagsTest.class.getModule(),
                ManagementFactory.getRuntimeMXBean().getInputArguments()));
    }

    /** A missing open fails, naming what needs it, each missing flag as typed, and the whole list. */
    @Test
    void aMissingOpenFailsWithTheFlagsToType() {
        List<String> wanted = List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util.zip=ALL-UNNAMED",
                "-Dpyconcurrent.test.never.set=1");
        MissingJvmFlagsError e = assertThrows(MissingJvmFlagsError.class, () -> JvmFlags.require("the zip reader", wanted));
        assertEquals(List.of("--add-opens=java.base/java.util.zip=ALL-UNNAMED", "-Dpyconcurrent.test.never.set=1"), e.missing());
        assertTrue(e.getMessage().startsWith("the zip reader needs JVM flags that this JVM was started without:\n    "
                + "--add-opens=java.base/java.util.zip=ALL-UNNAMED -Dpyconcurrent.test.never.set=1\n"), e.getMessage());
        assertTrue(e.getMessage().contains(String.join(" ", wanted)), e.getMessage());
    }

    /** A missing property or warning-silencer alone costs a warning, not a failure. */
    @Test
    void onlyOptionalFlagsMissingPasses() {
        JvmFlags.require("a tolerant user", List.of("-Dpyconcurrent.test.never.set=1"));
    }

    /** Hazelcast's extra flags: the toolkit's, then the ones only the cluster needs. */
    @Test
    void clusterFlagsExtendTheToolkitsFlags() {
        List<String> cluster = JvmFlags.clusterFlags();
        assertEquals(JvmFlags.flags(), cluster.subList(0, JvmFlags.flags().size()));
        assertTrue(cluster.contains("--add-modules=java.se"), cluster::toString);
        assertTrue(cluster.contains("--add-opens=java.management/sun.management=ALL-UNNAMED"), cluster::toString);
        assertTrue(cluster.contains("--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED"), cluster::toString);
    }
}
