package io.github.pyconcurrent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.shared.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The launcher behind ./run example: its list, a program run by name, and its answer to a wrong name. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExampleLauncherTest {

    /** --list names every program, with its Python counterpart, in the tutorial's order. */
    @Test
    void theListNamesEveryProgram() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            Examples.list(out);
        }
        String listed = bytes.toString(StandardCharsets.UTF_8);
        for (String name : Examples.PROGRAMS.keySet()) {
            assertTrue(listed.contains("  " + name + " "), name + " missing from\n" + listed);
        }
        assertEquals(Examples.PROGRAMS.size() + 1, listed.lines().count(), listed);
        assertTrue(listed.contains("greenlet test1/test2"), listed);
    }

    /** The greenlet program through the launcher, as ./run example greenlet runs it. */
    @Test
    void theLauncherRunsAProgramByName() {
        assertEquals(java.util.List.of("12", "56", "34", "78"), ExampleProcessTest.run(Examples.class, "greenlet"));
    }

    /** An unknown name exits 2 with one sentence on stderr. */
    @Test
    void aWrongNameExitsTwo() {
        try (ChildJvm jvm = ChildJvm.start(Examples.class, "no-such-example")) {
            assertEquals(2, jvm.waitFor(Duration.ofSeconds(60)), jvm::output);
            assertTrue(jvm.stderr().contains("no example named 'no-such-example'"), jvm::output);
        }
    }
}
