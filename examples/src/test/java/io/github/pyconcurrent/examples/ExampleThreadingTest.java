package io.github.pyconcurrent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.shared.ChildJvm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tutorial's threading programs: the first three run through the launcher in their own JVM
 * (as {@code ./run example NAME} runs them); the Event one both in-process with a scripted
 * console and in its own JVM driven through its stdin.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExampleThreadingTest {
    private static final Pattern TOTAL =
            Pattern.compile("(.+): 10 threads x (\\d+) increments -> gl_num = (\\d+) \\(expected (\\d+), (\\d+) updates lost\\)");

    /** Ten threads each print "thread i" once, and main prints "main thread stop"; the JVM waits for them. */
    @Test
    void tenThreadsAndTheMainThread() {
        List<String> lines = ExampleProcessTest.run(Examples.class, "threads");
        Set<String> expected = IntStream.range(0, 10).mapToObj(i -> "thread" + i).collect(Collectors.toSet());
        expected.add("main thread stop");
        assertEquals(expected, Set.copyOf(lines), lines.toString());
        assertEquals(11, lines.size(), lines.toString());
    }

    /** Without a lock the total is at most the expected one, and the lost updates are reported honestly. */
    @Test
    void theRaceReportsItsTotal() {
        List<String> lines = ExampleProcessTest.run(Examples.class, "race", "100000");
        assertEquals(1, lines.size(), lines.toString());
        Matcher m = TOTAL.matcher(lines.get(0));
        assertTrue(m.matches(), lines.toString());
        assertEquals("no lock", m.group(1));
        long total = Long.parseLong(m.group(3));
        assertEquals(1_000_000, Long.parseLong(m.group(4)));
        assertTrue(total <= 1_000_000 && total > 0, lines.toString());
        assertEquals(1_000_000 - total, Long.parseLong(m.group(5)), lines.toString());
    }

    /**
     * Under the RLock no update is lost: each thread prints the count it reached (the last of them
     * the total), and the total is exactly ten times the iterations.
     */
    @Test
    void underTheRLockNoUpdateIsLost() {
        List<String> lines = ExampleProcessTest.run(Examples.class, "rlock", "20000");
        assertEquals(11, lines.size(), lines.toString());
        List<Integer> reached = lines.subList(0, 10).stream().map(Integer::valueOf).toList();
        assertEquals(reached.stream().sorted().toList(), reached, "counts printed under the lock only grow: " + lines);
        assertEquals(200_000, Collections.max(reached), lines.toString());
        assertEquals("RLock: 10 threads x 20000 increments -> gl_num = 200000 (expected 200000, 0 updates lost)",
                lines.get(10));
    }

    /** Typing "true" (after a wrong answer) sets the event: all ten waiting threads print "execute". */
    @Test
    void typingTrueReleasesAllTenThreads() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean set;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            set = EventExample.run(new ByteArrayInputStream("maybe\ntrue\n".getBytes(StandardCharsets.UTF_8)), out);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(set, printed);
        assertEquals(10, count(printed, "start"), printed);
        assertEquals(10, count(printed, "execute"), printed);
        assertEquals(2, count(printed, "input:"), printed);
    }

    /**
     * Run as a user runs it, with stdin piped: the ten threads have started and wait; then "true"
     * is typed and every one of them prints "execute".
     */
    @Test
    void theEventProgramDrivenThroughItsStdin() throws Exception {
        try (ChildJvm jvm = ChildJvm.start(Examples.class, "event")) {
            assertTrue(jvm.awaitOutput("input:", Duration.ofSeconds(60)), jvm::output);
            assertEquals(0, count(jvm.stdout(), "execute"), jvm::output);
            jvm.process().getOutputStream().write("true\n".getBytes(StandardCharsets.UTF_8));
            jvm.process().getOutputStream().close();
            assertEquals(0, jvm.waitFor(Duration.ofSeconds(60)), jvm::output);
            assertEquals(10, count(jvm.stdout(), "start"), jvm::output);
            assertEquals(10, count(jvm.stdout(), "execute"), jvm::output);
            assertFalse(jvm.stderr().contains("Exception"), jvm::output);
        }
    }

    /**
     * With its stdin at an end and no "true", the program gives up: nobody executes, and the JVM
     * exits although ten threads still wait (they are daemons).
     */
    @Test
    void withoutTrueNobodyExecutes() throws Exception {
        try (ChildJvm jvm = ChildJvm.start(Examples.class, "event")) {
            jvm.process().getOutputStream().write("no\n".getBytes(StandardCharsets.UTF_8));
            jvm.process().getOutputStream().close();
            assertEquals(0, jvm.waitFor(Duration.ofSeconds(60)), jvm::output);
            assertEquals(0, count(jvm.stdout(), "execute"), jvm::output);
            assertTrue(jvm.stdout().contains("no more input: the event stays clear"), jvm::output);
        }
    }

    static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length())) {
            n++;
        }
        return n;
    }
}
