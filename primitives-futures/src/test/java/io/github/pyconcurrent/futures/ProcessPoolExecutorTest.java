package io.github.pyconcurrent.futures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.multiprocessing.WorkerDiedError;
import io.github.pyconcurrent.shared.Event;
import io.github.pyconcurrent.shared.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** The executor contract for ProcessPoolExecutor, and what is its own: worker JVMs, serialization, a worker's death. */
class ProcessPoolExecutorTest extends ExecutorContract {
    private final Set<Long> workerPids = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    AbstractExecutor create(int workers) {
        ProcessPoolExecutor ex = new ProcessPoolExecutor(workers);
        workerPids.addAll(ex.workerPids());
        return ex;
    }

    @Override
    boolean shutdownNowStopsRunningTasks() {
        return true; // the pool is terminated: its workers are killed
    }

    /** Nothing of the tests outlives them: every worker JVM the executors started has exited. */
    @Override
    void assertNothingLeft() {
        for (long pid : workerPids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " still alive");
        }
    }

    /** Tasks run in other JVMs. */
    @Test
    void tasksRunInWorkerJvms() {
        AbstractExecutor ex = shared();
        long here = ProcessHandle.current().pid();
        long there = ex.submit(() -> ProcessHandle.current().pid()).result(LIMIT);
        assertNotEquals(here, there);
        assertTrue(workerPids.contains(there));
    }

    /** A task that cannot be serialized is refused at submit, naming its class and what it captures. */
    @Test
    void aTaskThatCannotTravelIsRefusedAtSubmit() {
        AbstractExecutor ex = shared();
        Callable<Integer> plain = new Callable<>() {
            @Override
            public Integer call() {
                return 1;
            }
        };
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> ex.submit(plain));
        assertTrue(e.getMessage().contains(plain.getClass().getName()), e.getMessage());
        Object notSerializable = new Object();
        RejectedExecutionException captured = assertThrows(RejectedExecutionException.class,
                () -> ex.submit(() -> notSerializable.hashCode()));
        assertTrue(captured.getMessage().contains("java.lang.Object"), captured.getMessage());
        assertThrows(RejectedExecutionException.class, () -> ex.execute(() -> { }));
        assertEquals(3, ex.submit(() -> 3).result(LIMIT), "the executor goes on");
    }

    /** supplyAsync's JDK-internal task is refused, and the message says what to use instead. */
    @Test
    void supplyAsyncIsRefusedWithTheWayOut() {
        AbstractExecutor ex = shared();
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
                () -> CompletableFuture.supplyAsync(() -> 1, ex));
        assertTrue(e.getMessage().contains("submit(SerializableCallable)"), e.getMessage());
        assertTrue(e.getMessage().contains("ThreadPoolExecutor"), e.getMessage());
        assertTrue(e.getMessage().contains("CompletableFuture$AsyncSupply"), e.getMessage());
    }

    /**
     * A worker killed with SIGKILL fails only its own future, with WorkerDiedError naming it; the
     * other tasks complete, the pool replaces the worker and the executor goes on (no BrokenProcessPool).
     */
    @Test
    void aKilledWorkerFailsOnlyItsOwnFuture() {
        ProcessPoolExecutor ex = (ProcessPoolExecutor) shared();
        Value victimPid = Value.of('q', 0L);
        Event release = this.release;
        Event started = this.started;
        Future<Long> victim = ex.submit(() -> {
            victimPid.setLong(ProcessHandle.current().pid());
            started.set();
            release.waitFor();
            return 0L;
        });
        assertTrue(started.waitFor(LIMIT));
        long pid = victimPid.getLong();
        assertTrue(ex.workerPids().contains(pid));
        List<Future<Integer>> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            others.add(ex.submit(() -> n * 3));
        }
        assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly(), "SIGKILL");
        CompletionException e = assertThrows(CompletionException.class, () -> victim.result(LIMIT));
        WorkerDiedError died = assertInstanceOf(WorkerDiedError.class, e.getCause());
        assertEquals(pid, died.pid());
        assertEquals(-9, died.exitCode());
        for (int i = 0; i < 20; i++) {
            assertEquals(i * 3, others.get(i).result(LIMIT), "every other task completes");
        }
        assertEquals(7, ex.submit(() -> 7).result(LIMIT));
        assertFalse(ex.isShutdown());
        assertFalse(ex.workerPids().contains(pid));
        workerPids.addAll(ex.workerPids());
    }

    /** The builder's initializer runs in every worker; maxTasksPerChild replaces workers; "spawn" works too. */
    @Test
    void builderOptionsReachThePool() {
        ProcessPoolExecutor ex = (ProcessPoolExecutor) trackExecutor(ProcessPoolExecutor.builder().maxWorkers(1)
                .startMethod("spawn").maxTasksPerChild(2)
                .initializer(() -> System.setProperty("futures.test.init", "yes")).build());
        workerPids.addAll(ex.workerPids());
        Set<Long> pids = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            assertEquals("yes", ex.submit(() -> System.getProperty("futures.test.init")).result(LIMIT));
            long pid = ex.submit(() -> ProcessHandle.current().pid()).result(LIMIT);
            pids.add(pid);
            workerPids.add(pid);
        }
        assertEquals(2, pids.size(), "two tasks per worker: each round of two has its own worker " + pids);
        assertEquals(1, ex.maxWorkers());
        assertThrows(IllegalArgumentException.class, () -> ProcessPoolExecutor.builder().startMethod("fork"));
    }
}
