package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.shared.Array;
import io.github.pyconcurrent.shared.ChildJvm;
import io.github.pyconcurrent.shared.Event;
import io.github.pyconcurrent.shared.Lock;
import io.github.pyconcurrent.shared.RLock;
import io.github.pyconcurrent.shared.Value;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Process} and the {@link Multiprocessing} functions behave as Python's, in this JVM: what
 * a child sees of itself and of its parent, the lifecycle errors, daemons, shared locks across a
 * child's death. Children that a failing test could abandon are daemons, and every child is
 * joined or killed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessTest {
    private static final Duration LIMIT = Duration.ofSeconds(90);

    @AfterEach
    void restoreDefaultStartMethod() {
        Multiprocessing.setStartMethod(Multiprocessing.FORKSERVER, true);
    }

    /** Python's multiprocessing RLock example with a read-modify-write: 20 children, not one update lost. */
    @Test
    void twentyChildrenCountExactlyUnderAProcessRLock() {
        Multiprocessing.setStartMethod(Multiprocessing.SPAWN, true);
        RLock lock = new RLock();
        Array temp = Array.of('i', 11, 22, 33, 44);
        int perChild = 50;
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Process p = new Process(() -> {
                for (int k = 0; k < perChild; k++) {
                    lock.acquire();
                    int seen = temp.getInt(0);
                    Thread.yield(); // widen the window a lost update would need
                    temp.setInt(0, seen + 1);
                    lock.release();
                }
            });
            p.setDaemon(true);
            p.start();
            children.add(p);
        }
        for (Process p : children) {
            assertTrue(p.join(LIMIT), p + " did not end");
            assertEquals(0, p.exitCode(), p.toString());
        }
        assertEquals(11 + 20 * perChild, temp.getInt(0));
        assertFalse(lock.locked());
    }

    /** A shared Lock held by a child that is SIGKILLed is taken over by the parent, which is told. */
    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void aLockHeldByAKilledChildIsTakenOver(String method) {
        Multiprocessing.setStartMethod(method, true);
        Lock lock = new Lock();
        Event held = new Event();
        Process p = daemon(() -> {
            lock.acquire();
            held.set();
            new CountDownLatch(1).await();
        });
        assertTrue(held.waitFor(LIMIT), "the child never took the lock");
        assertFalse(lock.acquire(false), "the lock is free although the child holds it");
        p.kill();
        assertTrue(p.join(LIMIT));
        assertEquals(-9, p.exitCode());
        assertTrue(lock.acquire(Duration.ofSeconds(30)), "the dead child's lock was not taken over");
        assertTrue(lock.ownerDied(), "the takeover was not reported");
        lock.release();
        assertFalse(lock.locked());
    }

    /** {@code current_process()} in the child is the Process object: its name, and this JVM's pid. */
    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void theChildSeesItselfAndItsParent(String method) {
        Multiprocessing.setStartMethod(method, true);
        Array name = Array.ofSize('b', 64, false);
        Value ownPid = Value.of('q', 0L, false);
        Value parentPid = Value.of('q', 0L, false);
        Value alive = Value.of('i', -1, false);
        Process p = new Process("the-child", () -> {
            Process me = Multiprocessing.currentProcess();
            writeString(name, me.name());
            ownPid.setLong(me.pid());
            alive.setInt(me.isAlive() ? 1 : 0);
            parentPid.setLong(Multiprocessing.parentProcess().pid());
        });
        p.start();
        assertTrue(p.join(LIMIT));
        assertEquals(0, p.exitCode());
        assertEquals("the-child", readString(name));
        assertEquals(p.pid(), ownPid.getLong());
        assertEquals(1, alive.getInt(), "current_process().is_alive() is false in the child");
        assertEquals(ProcessHandle.current().pid(), parentPid.getLong());
        assertNull(Multiprocessing.parentProcess(), "the main JVM has a parent process");
        assertEquals("MainProcess", Multiprocessing.currentProcess().name());
    }

    /** A grandchild's {@code parent_process()} is the child: its name (Python's {@code _parent_name}) and pid. */
    @Test
    void aGrandchildSeesTheChildAsItsParent() {
        Multiprocessing.setStartMethod(Multiprocessing.SPAWN, true);
        Array name = Array.ofSize('b', 64, false);
        Value parentPid = Value.of('q', 0L, false);
        Value childPid = Value.of('q', 0L, false);
        Process p = new Process("the-child", () -> {
            Multiprocessing.setStartMethod(Multiprocessing.SPAWN);
            childPid.setLong(ProcessHandle.current().pid());
            Process grandchild = new Process(() -> {
                writeString(name, Multiprocessing.parentProcess().name());
                parentPid.setLong(Multiprocessing.parentProcess().pid());
            });
            grandchild.start();
            grandchild.join();
            check(grandchild.exitCode() == 0, "the grandchild failed");
        });
        p.setDaemon(false);
        p.start();
        assertTrue(p.join(LIMIT));
        assertEquals(0, p.exitCode());
        assertEquals("the-child", readString(name));
        assertEquals(p.pid(), childPid.getLong());
        assertEquals(p.pid(), parentPid.getLong());
    }

    /** A default name is {@code Process-N}, and the child sees that same name. */
    @Test
    void aDefaultNameIsSeenByTheChild() {
        Array name = Array.ofSize('b', 64, false);
        Process p = new Process(() -> writeString(name, Multiprocessing.currentProcess().name()));
        assertTrue(p.name().matches("Process-\\d+"), p.name());
        p.start();
        assertTrue(p.join(LIMIT));
        assertEquals(0, p.exitCode());
        assertEquals(p.name(), readString(name));
    }

    /**
     * A child uses the same {@code SelectorProvider} class as its parent: it is named on the
     * child's command line (no class-path service search in the child).
     */
    @Test
    void aChildUsesItsParentsSelectorProvider() {
        Array name = Array.ofSize('b', 64, false);
        Process p = new Process(() -> writeString(name, java.nio.channels.spi.SelectorProvider.provider().getClass().getName()));
        p.start();
        assertTrue(p.join(LIMIT));
        assertEquals(0, p.exitCode());
        assertEquals(java.nio.channels.spi.SelectorProvider.provider().getClass().getName(), readString(name));
    }

    /** {@code active_children()} lists a running child and forgets it once it has ended. */
    @Test
    void activeChildrenListsRunningChildrenOnly() {
        Event release = new Event();
        Event running = new Event();
        Process p = daemon(() -> {
            running.set();
            release.waitFor();
        });
        assertTrue(running.waitFor(LIMIT));
        assertTrue(Multiprocessing.activeChildren().contains(p));
        assertTrue(p.isAlive());
        release.set();
        assertTrue(p.join(LIMIT));
        assertFalse(p.isAlive());
        assertFalse(Multiprocessing.activeChildren().contains(p));
    }

    /** A daemonic process may not start children: RuntimeError there, so it exits with 1. */
    @Test
    void aDaemonicProcessCannotStartChildren() {
        Value refused = Value.of('i', 0, false);
        Process p = daemon(() -> {
            try {
                new Process(() -> { }).start();
            } catch (IllegalStateException e) {
                if (e.getMessage().contains("daemonic processes are not allowed to have children")) {
                    refused.setInt(1);
                }
                throw e;
            }
        });
        assertTrue(p.join(LIMIT));
        assertEquals(1, p.exitCode());
        assertEquals(1, refused.getInt(), "the child's start() did not throw IllegalStateException");
    }

    /** start() twice, join() or pid() before start(), setDaemon after start(): Python's errors. */
    @Test
    void lifecycleMisuseThrows() {
        Process p = new Process(() -> { });
        p.setDaemon(true);
        assertThrows(IllegalStateException.class, p::join);
        assertThrows(IllegalStateException.class, () -> p.join(Duration.ZERO));
        assertThrows(IllegalStateException.class, p::pid);
        assertFalse(p.isAlive());
        assertNull(p.exitCode());
        p.start();
        assertThrows(IllegalStateException.class, p::start);
        assertThrows(IllegalStateException.class, () -> p.setDaemon(false));
        assertTrue(p.join(LIMIT));
        assertEquals(0, p.exitCode());
        assertThrows(IllegalStateException.class, p::start);
    }

    /** close() refuses a running process (Python's ValueError); after join it works, and start() then fails. */
    @Test
    void closeRefusesARunningProcess() {
        Event running = new Event();
        Process p = daemon(() -> {
            running.set();
            new CountDownLatch(1).await();
        });
        assertTrue(running.waitFor(LIMIT));
        IllegalStateException e = assertThrows(IllegalStateException.class, p::close);
        assertTrue(e.getMessage().contains("still running"), e.getMessage());
        p.terminate();
        assertTrue(p.join(LIMIT));
        assertEquals(-15, p.exitCode());
        p.close();
        assertThrows(IllegalStateException.class, p::start);

        Process never = new Process(() -> { });
        never.close();
        assertThrows(IllegalStateException.class, never::start);
    }

    /** A target capturing something not Serializable fails start() clearly, and starts no child. */
    @Test
    void aNonSerializableCaptureFailsStart() {
        Object notSerializable = new Object();
        Process p = new Process(() -> System.out.println(notSerializable));
        p.setDaemon(true);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, p::start);
        assertTrue(e.getMessage().contains("java.lang.Object") && e.getMessage().contains("not Serializable"),
                e.getMessage());
        assertFalse(p.isAlive());
        assertNull(p.exitCode());
        assertThrows(IllegalStateException.class, p::pid, "a child was started");
        assertFalse(Multiprocessing.activeChildren().contains(p));
    }

    /** A Process subclass overriding run(): its fields travel, its run() is what the child runs. */
    @Test
    void aSubclassOverridingRunWorks() {
        Value v = Value.of('i', 21, false);
        Doubler p = new Doubler(v);
        p.setDaemon(true);
        p.start();
        assertTrue(p.join(LIMIT));
        assertEquals(0, p.exitCode());
        assertEquals(42, v.getInt());
        assertEquals("Doubler", p.name());
    }

    static final class Doubler extends Process {
        private static final long serialVersionUID = 1L;
        private final Value value;

        Doubler(Value value) {
            super("Doubler");
            this.value = value;
        }

        @Override
        public void run() {
            value.setInt(value.getInt() * 2);
        }
    }

    /** set_start_method: force switches, a second unforced call throws, "fork" is refused by name. */
    @Test
    void setStartMethodOnceForceAndFork() {
        Multiprocessing.setStartMethod(Multiprocessing.SPAWN, true);
        assertEquals("spawn", Multiprocessing.getStartMethod());
        assertThrows(IllegalStateException.class, () -> Multiprocessing.setStartMethod("forkserver"));
        assertThrows(IllegalStateException.class, () -> Multiprocessing.setStartMethod("spawn"));
        assertEquals("spawn", Multiprocessing.getStartMethod());
        IllegalArgumentException fork = assertThrows(IllegalArgumentException.class,
                () -> Multiprocessing.setStartMethod("fork", true));
        assertTrue(fork.getMessage().contains("cannot fork") && fork.getMessage().contains("forkserver"), fork.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> Multiprocessing.setStartMethod(null, true));
        assertTrue(none.getMessage().startsWith("the start method is null; the start methods are [forkserver, spawn]"),
                none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Multiprocessing.setStartMethod("threads", true));
        assertEquals("spawn", Multiprocessing.getStartMethod());
        Multiprocessing.setStartMethod(Multiprocessing.FORKSERVER, true);
        assertEquals("forkserver", Multiprocessing.getStartMethod());
        assertEquals(List.of("forkserver", "spawn"), Multiprocessing.getAllStartMethods());
    }

    /** In a fresh JVM: the default is forkserver, and once a process used it, only force changes it. */
    @Test
    void theStartMethodIsFixedByItsFirstUse() {
        try (ChildJvm jvm = ChildJvm.run(() -> {
            check(Multiprocessing.getStartMethod().equals("forkserver"), "default " + Multiprocessing.getStartMethod());
            Process p = new Process(() -> { });
            p.start();
            p.join();
            check(p.exitCode() == 0, "exit code " + p.exitCode());
            try {
                Multiprocessing.setStartMethod("spawn");
                check(false, "setStartMethod after use did not throw");
            } catch (IllegalStateException expected) {
                // Python's RuntimeError('context has already been set')
            }
            Multiprocessing.setStartMethod("spawn", true);
            check(Multiprocessing.getStartMethod().equals("spawn"), "force did not switch");
        })) {
            assertEquals(0, jvm.waitFor(LIMIT), jvm::output);
        }
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    static Process daemon(SerializableRunnable target) {
        Process p = new Process(target);
        p.setDaemon(true);
        p.start();
        return p;
    }

    static void writeString(Array bytes, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length(); i++) {
            bytes.setInt(i, i < b.length ? b[i] : 0);
        }
    }

    static String readString(Array bytes) {
        byte[] b = new byte[bytes.length()];
        int n = 0;
        while (n < b.length && bytes.getInt(n) != 0) {
            b[n] = (byte) bytes.getInt(n);
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
