package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.pyconcurrent.shared.ChildJvm;
import io.github.pyconcurrent.shared.Event;
import io.github.pyconcurrent.shared.internal.ProcessIdentity;
import io.github.pyconcurrent.shared.internal.ShmRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How children live and die with their parent, each parent a user's program in its own JVM:
 * non-daemon children keep it alive, daemon children are terminated at its exit, and when it is
 * SIGKILLed no child and no forkserver spare outlives it. Afterwards nothing of theirs is left
 * in {@code java.io.tmpdir} or {@code /dev/shm}.
 *
 * <p>"Gone" is read from {@code /proc} by pid and start time ({@link ProcessIdentity}), so a
 * zombie not yet reaped by init, or a reused pid, counts as gone. Waits for a death are bounded
 * polls of {@code /proc}, the one signal a test outside the process tree has.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ProcessLifetimeTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    /** How long a child may take to notice its parent's death, generously, on a loaded machine. */
    private static final Duration DEATH_LIMIT = Duration.ofSeconds(20);
    private static final Pattern CHILD = Pattern.compile("child (\\d+)");

    /**
     * The parent is SIGKILLed while its children (two from forkserver spares, one spawned) block
     * forever and fresh spares wait: every one of them dies too, and what they left is swept.
     * Both ways a child is tied to its parent: armed before its JVM starts ({@code setpriv}, the
     * default where it exists) and armed by the child itself through JNA.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void noChildOrSpareOutlivesAKilledParent(boolean setpriv) throws IOException {
        assumeTrue(!setpriv || PreArmedLaunch.available(), "this machine has no setpriv with --pdeathsig");
        Map<Long, Long> tree;
        long parentPid;
        try (ChildJvm parent = UserProgram.start(List.of("-D" + PreArmedLaunch.PROPERTY + "=" + setpriv), () -> {
            Multiprocessing.warmUp();
            for (String method : new String[] {"forkserver", "forkserver", "spawn"}) {
                Multiprocessing.setStartMethod(method, true);
                Process p = new Process(() -> {
                    System.out.println("running " + ProcessHandle.current().pid());
                    new CountDownLatch(1).await();
                });
                p.start();
                System.out.println("child " + p.pid());
            }
            System.out.println("all started");
        })) {
            parentPid = parent.pid();
            assertTrue(parent.awaitOutput("all started", LIMIT), parent::output);
            List<Long> children = pids(CHILD, parent.stdout());
            assertEquals(3, children.size(), parent::output);
            for (long pid : children) {
                assertTrue(parent.awaitOutput("running " + pid, LIMIT), parent::output);
                assertEquals(setpriv, commandLine(pid).contains("\0" + PreArmedLaunch.ARGUMENT + "\0"),
                        () -> "child " + pid + " started the other way: " + commandLine(pid));
            }
            // The forkserver refills its two spares in the background: wait until they exist.
            assertTrue(await(() -> descendants(parentPid).size() >= children.size() + ForkServer.DEFAULT_SPARES, LIMIT),
                    () -> "the spares never came: " + descendants(parentPid) + "\n" + parent.output());
            tree = identities(descendants(parentPid));
            assertTrue(tree.keySet().containsAll(children), tree + " misses a child of " + children);

            parent.kill();
            assertTrue(awaitGone(tree, DEATH_LIMIT), () -> "outlived their SIGKILLed parent: " + alive(tree));
        }
        // A killed JVM runs no exit hook: the next JVM's launcher and manager sweep what it left.
        ChildLauncher.sweepDeadDirectories();
        ShmRegistry.sweep();
        List<Long> all = new ArrayList<>(tree.keySet());
        all.add(parentPid);
        assertEquals(List.of(), leftovers(all), "left by the killed tree after the sweep");
    }

    /** main returns while a daemon child blocks forever: the JVM exits and terminates the child. */
    @Test
    void aDaemonChildDoesNotKeepItsParentAlive() {
        Map<Long, Long> tree;
        long parentPid;
        try (ChildJvm parent = UserProgram.start(() -> {
            Event running = new Event();
            Process p = new Process(() -> {
                running.set();
                new CountDownLatch(1).await();
            });
            p.setDaemon(true);
            p.start();
            if (!running.waitFor(Duration.ofSeconds(60))) {
                throw new AssertionError("the daemon child never ran");
            }
            System.out.println("child " + p.pid() + " running");
        })) {
            parentPid = parent.pid();
            assertTrue(parent.awaitOutput(" running", LIMIT), parent::output);
            List<Long> children = pids(CHILD, parent.stdout());
            assertEquals(1, children.size(), parent::output);
            tree = identities(Stream.concat(children.stream(), descendants(parentPid).stream()).distinct().toList());
            assertEquals(0, parent.waitFor(LIMIT), parent::output);
            assertFalse(parent.stderr().contains("Exception"), parent::output);
            assertTrue(awaitGone(tree, DEATH_LIMIT), () -> "outlived their parent's exit: " + alive(tree));
        }
        List<Long> all = new ArrayList<>(tree.keySet());
        all.add(parentPid);
        assertEquals(List.of(), leftovers(all), "left behind by a normal exit");
    }

    /**
     * main returns right after start(): the JVM lives on until its non-daemon child ends, as
     * Python joins them at exit, then exits cleanly, leaving nothing behind.
     */
    @Test
    void aNonDaemonChildKeepsItsParentAlive() throws InterruptedException {
        Event release = new Event();
        Map<Long, Long> tree;
        long parentPid;
        try (ChildJvm parent = UserProgram.start(() -> {
            Process p = new Process(() -> {
                System.out.println("child running");
                release.waitFor();
                System.out.println("child done");
            });
            p.start();
            System.out.println("child " + p.pid());
            System.out.println("main returned");
        })) {
            parentPid = parent.pid();
            assertTrue(parent.awaitOutput("main returned", LIMIT), parent::output);
            assertTrue(parent.awaitOutput("child running", LIMIT), parent::output);
            List<Long> children = pids(CHILD, parent.stdout());
            tree = identities(Stream.concat(children.stream(), descendants(parentPid).stream()).distinct().toList());
            assertFalse(parent.process().waitFor(2, TimeUnit.SECONDS), "the JVM exited while its non-daemon child ran");
            release.set();
            assertEquals(0, parent.waitFor(LIMIT), parent::output);
            String out = parent.stdout();
            assertTrue(out.indexOf("child done") > out.indexOf("main returned"), parent::output);
            assertFalse(parent.stderr().contains("Exception"), parent::output);
            assertTrue(awaitGone(tree, DEATH_LIMIT), () -> "outlived their parent's exit: " + alive(tree));
        }
        List<Long> all = new ArrayList<>(tree.keySet());
        all.add(parentPid);
        assertEquals(List.of(), leftovers(all), "left behind by a normal exit");
    }

    static List<Long> pids(Pattern pattern, String text) {
        List<Long> pids = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            pids.add(Long.parseLong(m.group(1)));
        }
        return pids;
    }

    static List<Long> descendants(long pid) {
        return ProcessHandle.of(pid).map(h -> h.descendants().map(ProcessHandle::pid).toList()).orElse(List.of());
    }

    /** pid -> start time, for the pids that are alive now. */
    static Map<Long, Long> identities(Collection<Long> pids) {
        Map<Long, Long> ids = new LinkedHashMap<>();
        for (long pid : pids) {
            long start = ProcessIdentity.startTicks(pid);
            if (start >= 0) {
                ids.put(pid, start);
            }
        }
        return ids;
    }

    static List<Long> alive(Map<Long, Long> ids) {
        return ids.entrySet().stream().filter(e -> ProcessIdentity.isAlive(e.getKey().intValue(), e.getValue()))
                .map(Map.Entry::getKey).toList();
    }

    /** Waits until none of {@code ids} is alive; SIGKILLs the survivors (so none leaks) and returns false if some lived on. */
    static boolean awaitGone(Map<Long, Long> ids, Duration limit) {
        if (await(() -> alive(ids).isEmpty(), limit)) {
            return true;
        }
        alive(ids).forEach(pid -> Posix.signal(pid, Posix.SIGKILL));
        return false;
    }

    /** Polls {@code condition} until it holds or {@code limit} passes; for OS state nobody announces. */
    static boolean await(BooleanSupplier condition, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return true;
    }

    /** The control directories in java.io.tmpdir and the /dev/shm files that name one of {@code pids}. */
    static List<Path> leftovers(Collection<Long> pids) {
        List<Path> found = new ArrayList<>();
        for (Path dir : List.of(Path.of(System.getProperty("java.io.tmpdir")), ShmRegistry.DIR)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> {
                    String n = f.getFileName().toString();
                    return pids.stream().anyMatch(pid -> n.startsWith("pyconc-" + pid + "-") || n.startsWith("pyconc." + pid + "-"));
                }).forEach(found::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    /** {@code /proc/PID/cmdline}, its arguments each ended by a NUL ("" if the process is gone). */
    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
