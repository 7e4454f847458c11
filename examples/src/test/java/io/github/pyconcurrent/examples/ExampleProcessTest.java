package io.github.pyconcurrent.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.multiprocessing.Multiprocessing;
import io.github.pyconcurrent.multiprocessing.Process;
import io.github.pyconcurrent.shared.Array;
import io.github.pyconcurrent.shared.ChildJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tutorial's multiprocessing programs (Process, shared Array, Manager dict, process RLock,
 * Pool), each run as a user runs it (its own JVM, whose children print to the same stdout), checked on what they print and on the shared state they leave.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExampleProcessTest {
    private static final Duration LIMIT = Duration.ofSeconds(90);

    /** Ten children each print {@code say hi i}; main returns at once and the JVM waits for them. */
    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void sayHiFromTenChildren(String method) {
        List<String> lines = run(SayHi.class, method);
        assertEquals(IntStream.range(0, 10).mapToObj(i -> "say hi " + i).collect(Collectors.toSet()),
                Set.copyOf(lines), lines.toString());
        assertEquals(10, lines.size(), lines.toString());
    }

    /** A plain list is copied, not shared: each child sees only its own item, the parent none. */
    @Test
    void aPlainListIsNotShared() {
        List<String> lines = run(ListNotShared.class, "forkserver");
        Set<String> expected = new TreeSet<>();
        IntStream.range(0, 10).forEach(i -> expected.add("say hi [" + i + "]"));
        expected.add("ending []");
        assertEquals(expected, new TreeSet<>(lines), lines.toString());
        assertEquals(11, lines.size(), lines.toString());
    }

    /**
     * Each of the two children writes its own slot of the shared array and prints all four; the
     * other child's slot reads either as before or as that child wrote it.
     */
    @Test
    void aSharedArrayIsSeenByBothChildren() {
        List<String> lines = run(SharedArrayExample.class, "forkserver");
        assertEquals(8, lines.size(), lines.toString());
        for (int i = 0; i < 2; i++) {
            String prefix = i + " -----> ";
            List<String> mine = lines.stream().filter(l -> l.startsWith(prefix)).toList();
            assertEquals(4, mine.size(), lines.toString());
            int other = 1 - i;
            List<String> before = List.of("11", "22", "33", "44");
            List<String> after = new ArrayList<>(before);
            after.set(other, String.valueOf(100 + other));
            for (int k = 0; k < 4; k++) {
                String item = mine.get(k).substring(prefix.length());
                if (k == i) {
                    assertEquals(String.valueOf(100 + i), item, lines.toString());
                } else {
                    assertTrue(item.equals(before.get(k)) || item.equals(after.get(k)), lines.toString());
                }
            }
        }
    }

    /** The array the two children filled holds both writes once they have ended. */
    @Test
    void theSharedArrayHoldsBothChildrensWrites() {
        Multiprocessing.setStartMethod(Multiprocessing.SPAWN, true);
        Array temp = Array.of('i', 11, 22, 33, 44);
        for (Process p : SharedArrayExample.start(temp)) {
            assertTrue(p.join(LIMIT), "child did not end");
            assertEquals(0, p.exitCode());
        }
        assertArrayEquals(new int[] {100, 101, 33, 44}, temp.toIntArray());
        Multiprocessing.setStartMethod(Multiprocessing.FORKSERVER, true);
    }

    /** Children joined one after the other fill a Manager dict: the second sees the first's entry. */
    @Test
    void aManagerDictIsFilledByTwoChildren() {
        List<String> lines = run(ManagerDictExample.class, "forkserver");
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("[100]", lines.get(0));
        assertEquals(Set.of("100", "101"), Set.of(lines.get(1).replaceAll("[\\[\\] ]", "").split(",")), lines.toString());
    }

    /**
     * Twenty children under one process RLock: each prints its four lines together and sees its
     * own {@code 100 + i} in slot 0, which no other child can overwrite while it holds the lock.
     */
    @Test
    void twentyChildrenUnderAProcessRLock() {
        List<String> lines = run(ProcessLockExample.class, "forkserver");
        assertEquals(80, lines.size(), lines.toString());
        Pattern line = Pattern.compile("(\\d+) -----> (\\d+)");
        Set<Integer> seen = new TreeSet<>();
        for (int b = 0; b < 20; b++) {
            Matcher first = line.matcher(lines.get(4 * b));
            assertTrue(first.matches(), lines.toString());
            int i = Integer.parseInt(first.group(1));
            assertTrue(seen.add(i), "child " + i + " printed twice: " + lines);
            assertEquals(List.of(i + " -----> " + (100 + i), i + " -----> 22", i + " -----> 33", i + " -----> 44"),
                    lines.subList(4 * b, 4 * b + 4), "a child's block was broken into: " + lines);
        }
        assertEquals(IntStream.range(0, 20).boxed().collect(Collectors.toSet()), seen);
    }

    /**
     * Pool(5), ten applyAsync with a callback, close, join: "end", and each callback prints one
     * of 100..109 exactly once, all before close/join return and the elapsed time is printed.
     */
    @Test
    void aPoolRunsTenTasksWithCallbacks() {
        List<String> lines = run(PoolExample.class);
        assertEquals(12, lines.size(), lines.toString());
        Set<String> expected = IntStream.range(100, 110).mapToObj(String::valueOf).collect(Collectors.toSet());
        expected.add("end");
        assertEquals(expected, Set.copyOf(lines.subList(0, 11)), lines.toString());
        assertTrue(lines.get(11).startsWith("ten 2 s tasks on 5 workers took "), lines.toString());
    }

    /** The same with ProcessPoolExecutor and as_completed: "end", then each of 100..109 exactly once, then the time. */
    @Test
    void theFuturesPoolPrintsEveryResultAsCompleted() {
        List<String> lines = run(FuturesPoolExample.class);
        assertEquals(12, lines.size(), lines.toString());
        assertEquals("end", lines.get(0), lines.toString());
        Set<String> expected = IntStream.range(100, 110).mapToObj(String::valueOf).collect(Collectors.toSet());
        assertEquals(expected, Set.copyOf(lines.subList(1, 11)), lines.toString());
        assertTrue(lines.get(11).startsWith("ten 2 s tasks on 5 workers took "), lines.toString());
    }

    /**
     * Runs a tutorial program's main in its own JVM; it must exit 0 and print no exception (not
     * even from an exit hook); returns its stdout's lines.
     */
    static List<String> run(Class<?> program, String... args) {
        try (ChildJvm jvm = ChildJvm.start(program, args)) {
            assertEquals(0, jvm.waitFor(LIMIT), jvm::output);
            assertFalse(jvm.stderr().contains("Exception"), jvm::output);
            return jvm.stdout().lines().toList();
        }
    }
}
