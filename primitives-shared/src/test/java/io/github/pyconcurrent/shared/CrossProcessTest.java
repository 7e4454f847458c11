package io.github.pyconcurrent.shared;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.shared.internal.ProcessIdentity;
import io.github.pyconcurrent.shared.internal.ShmRegistry;
import io.github.pyconcurrent.threading.suites.Blocking;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The primitives across real JVMs: child JVMs ({@link ChildJvm}) receive the shared objects
 * serialized inside a lambda and work on the same memory as this JVM.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CrossProcessTest {
    private static final Duration CHILD = Duration.ofSeconds(60);
    private static final int INCREMENTS = 100_000;

    @AfterAll
    static void nothingLeftBehind() {
        ShmLeaks.assertNoStrays();
        assertEquals(List.of(), ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList(),
                "no child process may outlive the tests");
    }

    private static void assertExitsZero(ChildJvm child) {
        assertEquals(0, child.waitFor(CHILD), child::output);
    }

    /** The tutorial: two processes set temp[i] = 100 + i; the parent sees 100, 101, 33, 44. */
    @Test
    void tutorialArrayScenario() {
        Array temp = Array.of('i', 11, 22, 33, 44);
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                int index = i;
                children.add(ChildJvm.run(() -> temp.setInt(index, 100 + index)));
            }
            children.forEach(CrossProcessTest::assertExitsZero);
        } finally {
            children.forEach(ChildJvm::close);
        }
        assertArrayEquals(new int[] {100, 101, 33, 44}, temp.toIntArray());
    }

    /** Runs {@code INCREMENTS} read-then-write increments of counter[0] in each of two JVMs, started together. */
    private static void incrementInTwoJvms(Array counter, boolean underLock) {
        incrementInTwoJvms(counter, underLock, INCREMENTS, List.of());
    }

    private static void incrementInTwoJvms(Array counter, boolean underLock, int increments, List<String> jvmArgs) {
        Barrier start = new Barrier(2, null, CHILD);
        try (ChildJvm a = ChildJvm.run(jvmArgs, () -> increment(counter, start, underLock, increments));
                ChildJvm b = ChildJvm.run(jvmArgs, () -> increment(counter, start, underLock, increments))) {
            assertExitsZero(a);
            assertExitsZero(b);
        }
    }

    private static void increment(Array counter, Barrier start, boolean underLock, int increments) {
        start.waitFor();
        if (underLock) {
            RLock lock = counter.getLock();
            for (int i = 0; i < increments; i++) {
                lock.acquire();
                counter.setInt(0, counter.getInt(0) + 1);
                lock.release();
            }
        } else {
            for (int i = 0; i < increments; i++) {
                counter.setInt(0, counter.getInt(0) + 1);
            }
        }
    }

    /** 2 JVMs x 100,000 increments of one element under getLock() end at exactly 200,000. */
    @Test
    void incrementsUnderTheLockAreNotLost() {
        Array counter = Array.ofSize('i', 1);
        incrementInTwoJvms(counter, true);
        assertEquals(2 * INCREMENTS, counter.getInt(0));
        assertFalse(counter.getLock().locked());
    }

    /** The same with spinning off, so every contended acquire sleeps on the futex and is woken across JVMs. */
    @Test
    void incrementsUnderTheLockThroughTheFutex() {
        Array counter = Array.ofSize('i', 1);
        incrementInTwoJvms(counter, true, 20_000, List.of("-Dpyconcurrent.shared.spins=0"));
        assertEquals(2 * 20_000, counter.getInt(0));
    }

    /**
     * No wake is ever lost: the owner-check slice, which would otherwise paper over a lost wake
     * within 100 ms, is set to 10 minutes in the children, and every contended acquire sleeps
     * (no spinning). Three threads in each of two JVMs (so a process re-acquires the same owner
     * word while others sleep on it), critical sections long enough (a few microseconds) that
     * several threads sleep at once, and a third of the acquires timed and retried (waiters that
     * leave after a wake). A lost wake leaves a thread asleep far beyond the child timeout.
     */
    @Test
    void noWakeIsLostWithoutTheOwnerCheckSafetyNet() {
        Array counter = Array.ofSize('i', 1);
        int threadsPerJvm = 3;
        int perThread = 3_000;
        Barrier start = new Barrier(2, null, CHILD);
        List<String> jvmArgs = List.of("-Dpyconcurrent.shared.spins=0", "-Dpyconcurrent.shared.ownerCheckMillis=600000");
        ChildJvm.Task work = () -> {
            start.waitFor();
            RLock lock = counter.getLock();
            Runnable increments = () -> {
                for (int i = 0; i < perThread; i++) {
                    if (i % 3 == 0) {
                        while (!lock.acquire(Duration.ofNanos(20_000))) {
                            Thread.onSpinWait();
                        }
                    } else {
                        lock.acquire();
                    }
                    int value = counter.getInt(0);
                    for (int busy = 0; busy < 50; busy++) {
                        Thread.onSpinWait();
                    }
                    counter.setInt(0, value + 1);
                    lock.release();
                }
            };
            List<Thread> others = new ArrayList<>();
            for (int t = 1; t < threadsPerJvm; t++) {
                others.add(Thread.ofPlatform().start(increments));
            }
            increments.run();
            for (Thread other : others) {
                other.join();
            }
        };
        try (ChildJvm a = ChildJvm.run(jvmArgs, work); ChildJvm b = ChildJvm.run(jvmArgs, work)) {
            assertExitsZero(a);
            assertExitsZero(b);
        }
        assertEquals(2 * threadsPerJvm * perThread, counter.getInt(0));
        assertFalse(counter.getLock().locked());
    }

    /**
     * The same without the lock loses updates: proof that the locked test can fail. (If the two
     * JVMs happen not to overlap, nothing is lost: retried a few times.)
     */
    @Test
    void incrementsWithoutTheLockAreLost() {
        int total = 2 * INCREMENTS;
        for (int attempt = 0; attempt < 5 && total == 2 * INCREMENTS; attempt++) {
            Array counter = Array.ofSize('i', 1, false);
            incrementInTwoJvms(counter, false);
            total = counter.getInt(0);
            // The floor is 2, not INCREMENTS: a JVM can read, stall while the other makes many
            // increments, then write back its stale value + 1, erasing them all.
            assertTrue(total >= 2 && total <= 2 * INCREMENTS, "impossible total " + total);
        }
        assertTrue(total < 2 * INCREMENTS, "no update was lost in 5 attempts");
    }

    /** A Lock whose holder is killed with SIGKILL is taken over by the next acquirer, who is told. */
    @Test
    void lockRecoveredAfterHolderIsKilled() {
        Lock lock = new Lock();
        Event holding = new Event();
        try (ChildJvm child = ChildJvm.run(() -> {
            lock.acquire();
            holding.set();
            System.in.read(); // hold until killed
        })) {
            assertTrue(holding.waitFor(CHILD), child::output);
            assertFalse(lock.acquire(false), "the child holds the lock");
            child.process().destroyForcibly(); // SIGKILL; not waiting for the reaper on purpose
            assertTrue(lock.acquire(CHILD), "the lock of a killed holder must be taken over");
            assertTrue(lock.ownerDied());
            lock.release();
            assertTrue(lock.acquire(false));
            assertFalse(lock.ownerDied(), "a plain acquire after the takeover is not a takeover");
            lock.release();
        }
    }

    /** An RLock held (re-entered) by a killed process is taken over with a fresh count. */
    @Test
    void rlockRecoveredAfterHolderIsKilled() {
        RLock lock = new RLock();
        Event holding = new Event();
        try (ChildJvm child = ChildJvm.run(() -> {
            lock.acquire();
            lock.acquire();
            holding.set();
            System.in.read();
        })) {
            assertTrue(holding.waitFor(CHILD), child::output);
            child.kill();
            assertTrue(lock.acquire(CHILD));
            assertTrue(lock.ownerDied());
            assertEquals(1, lock.holdCount());
            lock.release();
            assertFalse(lock.locked());
        }
    }

    /** Permits held by a killed process are returned to the semaphore for the waiters. */
    @Test
    void semaphorePermitsRecoveredAfterHolderIsKilled() {
        Semaphore sem = new Semaphore(2);
        Event holding = new Event();
        try (ChildJvm child = ChildJvm.run(() -> {
            sem.acquire();
            sem.acquire();
            holding.set();
            System.in.read();
        })) {
            assertTrue(holding.waitFor(CHILD), child::output);
            assertFalse(sem.acquire(false));
            child.kill();
            assertTrue(sem.acquire(CHILD), "the killed holder's permits must come back");
            assertTrue(sem.ownerDied());
            assertTrue(sem.acquire(false), "both permits came back");
            sem.release(2);
            assertEquals(2, sem.getValue());
        }
    }

    /** An Event set in one JVM wakes a waiter in another; a Semaphore released here wakes a child. */
    @Test
    void eventAndSemaphoreAcrossJvms() {
        Event go = new Event();
        Event done = new Event();
        Semaphore sem = new Semaphore(0);
        try (ChildJvm child = ChildJvm.run(() -> {
            if (!go.waitFor(CHILD)) {
                throw new AssertionError("go never set");
            }
            if (!sem.acquire(CHILD)) {
                throw new AssertionError("no permit");
            }
            done.set();
        })) {
            go.set();
            sem.release();
            assertTrue(done.waitFor(CHILD), child::output);
            assertExitsZero(child);
        }
        assertEquals(0, sem.getValue());
    }

    /** A Condition notified in one JVM wakes a waiter in another; the predicate reads shared memory. */
    @Test
    void conditionAcrossJvms() {
        Lock lock = new Lock();
        Condition cond = new Condition(lock);
        Value ready = Value.of('i', 0);
        try (ChildJvm child = ChildJvm.run(() -> {
            try (var held = cond.hold()) {
                if (!cond.waitUntil(() -> ready.getInt() == 1, CHILD)) {
                    throw new AssertionError("not notified");
                }
                ready.setInt(2);
                cond.notifyAllWaiters();
            }
        })) {
            try (var held = cond.hold()) {
                ready.setInt(1);
                cond.notifyAllWaiters();
                assertTrue(cond.waitUntil(() -> ready.getInt() == 2, CHILD), child::output);
            }
            assertExitsZero(child);
        }
    }

    /** A Barrier across JVMs releases both parties; its action runs once, in the last arriver's JVM. */
    @Test
    void barrierAcrossJvmsRunsTheActionOnce() {
        Value actions = Value.of('i', 0);
        Barrier barrier = new Barrier(2, (Runnable & java.io.Serializable) () -> actions.setInt(actions.getInt() + 1), CHILD);
        try (ChildJvm child = ChildJvm.run(() -> System.out.println("index " + barrier.waitFor()))) {
            int mine = barrier.waitFor();
            assertExitsZero(child);
            int theirs = Integer.parseInt(child.stdout().trim().substring("index ".length()));
            assertEquals(1, mine + theirs, "indices 0 and 1");
        }
        assertEquals(1, actions.getInt());
    }

    /** A Semaphore(2) shared by three JVMs never lets more than two holders in at once. */
    @Test
    void semaphoreBoundsHoldersAcrossJvms() {
        Semaphore sem = new Semaphore(2);
        Array stats = Array.ofSize('i', 2); // [0] holders now, [1] most holders seen
        Barrier start = new Barrier(3, null, CHILD);
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int c = 0; c < 3; c++) {
                children.add(ChildJvm.run(() -> {
                    start.waitFor();
                    RLock statsLock = stats.getLock();
                    for (int i = 0; i < 2_000; i++) {
                        try (var permit = sem.hold()) {
                            try (var held = statsLock.hold()) {
                                int now = stats.getInt(0) + 1;
                                stats.setInt(0, now);
                                stats.setInt(1, Math.max(now, stats.getInt(1)));
                            }
                            try (var held = statsLock.hold()) {
                                stats.setInt(0, stats.getInt(0) - 1);
                            }
                        }
                    }
                }));
            }
            children.forEach(CrossProcessTest::assertExitsZero);
        } finally {
            children.forEach(ChildJvm::close);
        }
        assertEquals(0, stats.getInt(0));
        int most = stats.getInt(1);
        assertTrue(most >= 1 && most <= 2, "most holders at once: " + most);
        assertEquals(2, sem.getValue());
    }

    /** A Barrier of three JVMs runs twenty cycles; no party passes a cycle before all have arrived. */
    @Test
    void barrierCyclesAcrossJvms() {
        int cycles = 20;
        Barrier barrier = new Barrier(3, null, CHILD);
        Array arrived = Array.ofSize('i', cycles);
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int c = 0; c < 3; c++) {
                children.add(ChildJvm.run(() -> {
                    for (int cycle = 0; cycle < cycles; cycle++) {
                        try (var held = arrived.getLock().hold()) {
                            arrived.setInt(cycle, arrived.getInt(cycle) + 1);
                        }
                        barrier.waitFor();
                        int seen;
                        try (var held = arrived.getLock().hold()) {
                            seen = arrived.getInt(cycle);
                        }
                        if (seen != 3) {
                            throw new AssertionError("cycle " + cycle + ": passed with " + seen + " arrivals");
                        }
                    }
                }));
            }
            children.forEach(CrossProcessTest::assertExitsZero);
        } finally {
            children.forEach(ChildJvm::close);
        }
        assertFalse(barrier.isBroken());
        assertEquals(0, barrier.nWaiting());
    }

    /** Objects a child creates are unlinked when it exits normally: nothing of it stays in /dev/shm. */
    @Test
    void childExitLeavesNothing() {
        List<Path> files;
        try (ChildJvm child = ChildJvm.run(() -> {
            Lock l = new Lock();
            Array a = Array.of('d', 1.5);
            Event e = new Event();
            l.acquire();
            e.set();
            a.setDouble(0, 2.5);
            ShmRegistry.owned().forEach(System.out::println);
        })) {
            assertExitsZero(child);
            files = child.stdout().lines().map(Path::of).toList();
        }
        assertEquals(3, files.size(), "one segment per object: " + files);
        for (Path p : files) {
            assertFalse(Files.exists(p), p + " outlived its creator");
        }
    }

    /** A zombie (exited, not reaped) counts as dead, although kill(pid, 0) would say alive. */
    @Test
    void zombieIsDead() throws IOException, InterruptedException {
        // `sleep` is the shell's child; once the shell has become `cat` (which never reaps), the
        // child is killed and stays a zombie. Killing it only after the exec is what makes this
        // deterministic: a child that ends before the exec may be reaped by the shell itself.
        Process parent = new ProcessBuilder("sh", "-c", "sleep 1000 & echo $!; exec cat").start();
        int zombie = -1;
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(parent.getInputStream())).readLine();
            zombie = Integer.parseInt(line.trim());
            Blocking.awaitCondition(() -> "cat".equals(comm(parent.pid())), "the shell exec'd cat");
            ProcessHandle.of(zombie).ifPresent(ProcessHandle::destroyForcibly);
            int pid = zombie;
            Blocking.awaitCondition(() -> zombieState(pid), "the child became a zombie");
            assertTrue(Files.exists(Path.of("/proc/" + zombie)), "kill(pid, 0) would still find it");
            assertEquals(-1, ProcessIdentity.startTicks(zombie));
            assertFalse(ProcessIdentity.isAlive(ProcessIdentity.ownerWord(zombie, 0)));
        } finally {
            if (zombie > 0) {
                ProcessHandle.of(zombie).ifPresent(ProcessHandle::destroyForcibly);
            }
            parent.destroyForcibly();
            parent.waitFor();
        }
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean zombieState(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return false;
        }
    }

    /** This JVM's identity: alive; a different start time for the same pid is a reused pid, so dead. */
    @Test
    void identitySurvivesPidReuse() {
        assertTrue(ProcessIdentity.isAlive(ProcessIdentity.SELF));
        assertTrue(ProcessIdentity.isAlive(ProcessIdentity.PID, ProcessIdentity.START_TICKS));
        assertFalse(ProcessIdentity.isAlive(ProcessIdentity.PID, ProcessIdentity.START_TICKS + 1));
        long word = ProcessIdentity.ownerWord(4_194_303, (1L << 41) - 1);
        assertEquals(4_194_303, ProcessIdentity.pidOf(word));
        assertEquals((1L << 41) - 1, ProcessIdentity.startOf(word));
        assertEquals(0, word & 1);
    }
}
