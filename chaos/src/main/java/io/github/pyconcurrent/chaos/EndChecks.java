package io.github.pyconcurrent.chaos;

import io.github.pyconcurrent.multiprocessing.Multiprocessing;
import io.github.pyconcurrent.shared.internal.ShmRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.time.Duration;

/**
 * What must be true once every part is closed: no child JVM of the run alive, no file of this JVM
 * or of its children left in {@code /dev/shm} that should be gone ({@link ShmRegistry#strays()}),
 * no control directory of a child, and this JVM's thread count and heap back near the baseline
 * taken before the parts started. (Forkserver spares are the toolkit's, not the run's: they die
 * with this JVM, and CI's leak check looks for them after it exits.)
 */
final class EndChecks {
    /** New threads tolerated beyond the shared ones {@link #SHARED_THREAD} names. */
    static final int THREAD_SLACK = 4;
    /**
     * Threads that outlive a run by design, not leaks: the JDK's process reapers (cached for a
     * minute), fork-join and virtual-thread carriers, cleaners, Chronicle's resource releaser, and
     * the toolkit's watcher of each forkserver spare ({@code pyconcurrent-child-<pid>} of a live spare).
     */
    private static final Pattern SHARED_THREAD = Pattern.compile(
            "process reaper.*|ForkJoinPool.*|Cleaner-\\d+|VirtualThread-unblocker|MasterPoller|Read-Poller|Write-Poller|background~resource~releaser|Common-Cleaner");
    private static final Pattern CHILD_WATCHER = Pattern.compile("pyconcurrent-child-(\\d+)");
    static final long HEAP_SLACK_BYTES = 64L << 20;
    private static final Pattern PID_IN_NAME = Pattern.compile("pyconc[.-](\\d+)-.*");

    private final int threadsBefore;
    private final long heapBefore;
    private final Set<Long> threadIdsBefore;

    private EndChecks(int threadsBefore, long heapBefore, Set<Long> threadIdsBefore) {
        this.threadsBefore = threadsBefore;
        this.heapBefore = heapBefore;
        this.threadIdsBefore = threadIdsBefore;
    }

    /** The baseline: taken after the toolkit is warm, before any part starts. */
    static EndChecks baseline() {
        Set<Long> ids = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            ids.add(t.threadId());
        }
        return new EndChecks(ManagementFactory.getThreadMXBean().getThreadCount(), usedHeapAfterGc(), ids);
    }

    /** The live platform threads started since the baseline, less the shared ones and the watchers of live spares. */
    private List<String> newThreads(Set<Long> children) {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            if (threadIdsBefore.contains(t.threadId()) || SHARED_THREAD.matcher(n).matches()) {
                continue;
            }
            Matcher m = CHILD_WATCHER.matcher(n);
            if (m.matches() && !children.contains(Long.parseLong(m.group(1)))
                    && ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
                continue;   // a forkserver spare's watcher: the toolkit's, it dies with this JVM
            }
            names.add(n);
        }
        return names;
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Runs every end check into {@code tally}, waiting up to the stall bound for children to be reaped. */
    void check(PartTally tally, Collection<ProcessHandle> handles, Duration bound) {
        Set<Long> children = new HashSet<>();
        for (ProcessHandle h : handles) {
            if (h != null) {
                children.add(h.pid());
            }
        }
        long deadline = System.nanoTime() + bound.toNanos();
        List<ProcessHandle> alive = aliveOf(handles);
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            for (ProcessHandle h : alive) {
                h.onExit().orTimeout(1, java.util.concurrent.TimeUnit.SECONDS).exceptionally(t -> null).join();
            }
            alive = aliveOf(handles);
        }
        if (!alive.isEmpty()) {
            tally.violation("child JVMs still alive after the run: " + alive.stream().map(ProcessHandle::pid).toList());
        }
        if (!Multiprocessing.activeChildren().isEmpty()) {
            tally.violation("active children after the run: " + Multiprocessing.activeChildren());
        }
        Set<Long> ours = new HashSet<>(children);
        ours.add(ProcessHandle.current().pid());
        // A SIGKILLed child runs no exit hook: its files wait for the toolkit's sweep, which the
        // next toolkit start in any JVM runs; run it now, as that start would, and count it.
        int swept = 0;
        for (Path p : ShmRegistry.sweep()) {
            if (children.contains(pidInName(p))) {
                swept++;
            }
        }
        List<Path> leftShm = new ArrayList<>();
        for (Path p : ShmRegistry.strays()) {
            if (ours.contains(pidInName(p))) {
                leftShm.add(p);
            }
        }
        if (!leftShm.isEmpty()) {
            tally.violation("/dev/shm files of the run left behind: " + leftShm);
        }
        List<Path> leftDirs = new ArrayList<>();
        for (Path p : list(Path.of(System.getProperty("java.io.tmpdir")), "pyconc-*")) {
            long pid = pidInName(p);
            // a live process by that pid now is another one (reused pid): its directory is its own
            if (children.contains(pid) && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                leftDirs.add(p);
            }
        }
        if (!leftDirs.isEmpty()) {
            tally.violation("control directories of children left behind: " + leftDirs);
        }
        int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
        long heapAfter = usedHeapAfterGc();
        List<String> newThreads = newThreads(children);
        if (newThreads.size() > THREAD_SLACK) {
            tally.violation("threads: " + threadsAfter + " at the end, " + threadsBefore + " before the parts started; new ones: " + newThreads);
        }
        if (heapAfter > heapBefore + HEAP_SLACK_BYTES) {
            tally.violation(String.format("heap after GC: %.1f MiB at the end, %.1f MiB before", heapAfter / 1048576.0, heapBefore / 1048576.0));
        }
        tally.note(String.format("%d children gone (%d /dev/shm files of killed ones swept); threads %d -> %d; heap %.0f -> %.0f MiB",
                children.size(), swept, threadsBefore, threadsAfter, heapBefore / 1048576.0, heapAfter / 1048576.0));
    }

    /** The children still running: a handle's isAlive() also checks the start time, so a reused pid is not one of them. */
    private static List<ProcessHandle> aliveOf(Collection<ProcessHandle> handles) {
        List<ProcessHandle> alive = new ArrayList<>();
        for (ProcessHandle h : handles) {
            if (h != null && h.isAlive()) {
                alive.add(h);
            }
        }
        return alive;
    }

    private static long pidInName(Path p) {
        Matcher m = PID_IN_NAME.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static List<Path> list(Path dir, String glob) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            s.forEach(out::add);
        } catch (java.nio.file.NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
