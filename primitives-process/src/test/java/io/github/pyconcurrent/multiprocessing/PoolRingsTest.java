package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.shared.internal.ShmRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Pool's shared-memory rings between real JVMs, with real SIGKILLs: a worker killed in the
 * middle of writing an answer fails only its own task; a worker's ring files are gone from
 * {@code /dev/shm} once it has attached them, after it is killed, and after close and terminate.
 */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PoolRingsTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @AfterAll
    static void nothingLeftBehind() {
        Leaks.assertNothingLeft();
    }

    /** Waits (yielding, never sleeping) until {@code condition} holds; the class's timeout bounds it. */
    private static void await(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            Thread.yield();
        }
    }

    /** This JVM's pool ring files still in /dev/shm: task and result rings, and the doorbells. */
    private static List<Path> poolRingFiles() {
        return ShmRegistry.owned().stream().filter(Files::exists).map(p -> p.getFileName().toString())
                .filter(n -> n.contains("-task-") || n.contains("-result-") || n.contains("-bell-"))
                .map(Path::of).toList();
    }

    /**
     * The victim task writes the first piece of a large answer into its worker's result ring by
     * hand (as a worker streaming a large result does), says so, and blocks holding the ring's write
     * lock; the worker is SIGKILLed there. The result thread, which is reading the answer, drops
     * the partial one; the victim fails with WorkerDiedError, every other task completes, and the
     * pool goes on.
     */
    @Test
    void aWorkerKilledWhileWritingAnAnswerFailsOnlyItsTask() throws Exception {
        try (Pool pool = new Pool(2); Queue<Long> progress = new Queue<>()) {
            AsyncResult<Integer> victim = pool.applyAsync(() -> {
                Ring answers = Worker.current().results;
                byte[] big = PoolWire.single(PoolWire.RESULT, 0, Serial.toBytes(new byte[4 * answers.maxPieceBytes()]));
                answers.writeLock().acquire();
                answers.writeLocked(big, 0, answers.maxPieceBytes() - Ring.FIRST_PREFIX, Ring.FIRST, 0);
                progress.put(ProcessHandle.current().pid());
                new CountDownLatch(1).await();   // dies here, mid-answer, holding the write lock
                return 0;
            });
            List<AsyncResult<Integer>> others = new ArrayList<>();
            AtomicInteger callbacks = new AtomicInteger();
            for (int i = 0; i < 50; i++) {
                int n = i;
                others.add(pool.applyAsync(() -> n * 3, v -> callbacks.incrementAndGet()));
            }
            long victimPid = progress.get();
            assertTrue(Posix.signal(victimPid, Posix.SIGKILL));
            CompletionException e = assertThrows(CompletionException.class, () -> victim.get(LIMIT));
            WorkerDiedError died = assertInstanceOf(WorkerDiedError.class, e.getCause());
            assertEquals(victimPid, died.pid());
            for (int i = 0; i < 50; i++) {
                assertEquals(i * 3, others.get(i).get(LIMIT));
            }
            assertEquals(7, pool.apply(() -> 7));
            assertFalse(pool.workerPids().contains(victimPid));
            pool.close();
            assertEquals(50, callbacks.get());
        }
    }

    @Test
    void noRingFileOutlivesAttachAKilledWorkerOrTerminate() {
        Pool pool = new Pool(2);
        assertEquals(1, pool.apply(() -> 1));
        // Once both workers are attached, only the pool's doorbell keeps a name.
        await(() -> poolRingFiles().size() == 1);
        long victim = pool.workerPids().get(0);
        assertTrue(Posix.signal(victim, Posix.SIGKILL));
        await(() -> !pool.workerPids().contains(victim) && pool.workerPids().size() == 2);
        assertEquals(2, pool.apply(() -> 2));
        await(() -> poolRingFiles().size() == 1);   // the killed worker's rings are gone
        pool.terminate();
        pool.join();
        assertEquals(List.of(), poolRingFiles());
    }

    @Test
    void noRingFileOutlivesClose() {
        try (Pool pool = new Pool(2)) {
            assertEquals(List.of(0, 2, 4), pool.map(x -> x * 2, List.of(0, 1, 2)));
        }
        assertEquals(List.of(), poolRingFiles());
    }

    /**
     * Someone else deletes the pool's files from /dev/shm: once the workers have attached, only
     * the doorbell still has a name. The workers running go on (their mappings stay); a worker
     * killed afterwards is replaced by one that works (it gets a new doorbell), every task
     * completes with its callback, and nothing is left after close.
     */
    @Test
    void aDoorbellDeletedFromDevShmHealsForTheWorkersStartedAfter() throws Exception {
        try (Pool pool = new Pool(2)) {
            assertEquals(1, pool.apply(() -> 1));
            await(() -> poolRingFiles().size() == 1);
            for (Path p : ShmRegistry.owned()) {
                if (p.getFileName().toString().contains("-bell-")) {
                    Files.delete(p);
                }
            }
            assertEquals(List.of(), poolRingFiles());
            List<Long> old = pool.workerPids();
            assertEquals(Set.copyOf(old), answeringPids(pool, 40));
            for (long victim : old) {
                assertTrue(Posix.signal(victim, Posix.SIGKILL));
                await(() -> !pool.workerPids().contains(victim) && pool.workerPids().size() == 2);
                // The replacement (its doorbell is the new one) answers, as the survivor does.
                assertEquals(Set.copyOf(pool.workerPids()), answeringPids(pool, 40));
            }
            assertEquals(1, poolRingFiles().size());   // the new doorbell
        }
        assertEquals(List.of(), poolRingFiles());
    }

    /**
     * With no answer due, the result thread parks off the doorbell (a worker's answer to the next
     * {@code apply} then wakes only its caller), and it is still woken for a later task whose
     * callback only it can run: the callback runs although nobody waits in {@code get()}.
     */
    @Test
    void anIdlePoolsResultThreadSleepsOffTheDoorbellAndWakesForTheNextCallback() throws Exception {
        try (Pool pool = new Pool(1)) {
            // Nobody helps in get(): the result thread reads this answer and runs the callback itself.
            CountDownLatch first = new CountDownLatch(1);
            AsyncResult<Integer> one = pool.applyAsync(() -> 1, v -> first.countDown());
            assertTrue(first.await(LIMIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            await(one::ready);   // not get(): a caller in get() would read answers and let the thread nap anyway
            await(pool::resultThreadParkedOffBell);
            assertEquals(1, one.get(LIMIT));
            assertEquals(3, pool.apply(() -> 3));
            await(pool::resultThreadParkedOffBell);
            CountDownLatch called = new CountDownLatch(1);
            pool.applyAsync(() -> 4, v -> called.countDown());
            assertTrue(called.await(LIMIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    /** Runs {@code n} tasks at once (spread over the workers), each with a callback; the pids that ran them. */
    private static Set<Long> answeringPids(Pool pool, int n) {
        AtomicInteger callbacks = new AtomicInteger();
        List<AsyncResult<Long>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            results.add(pool.applyAsync(() -> ProcessHandle.current().pid(), v -> callbacks.incrementAndGet()));
        }
        Set<Long> pids = new HashSet<>();
        for (AsyncResult<Long> r : results) {
            pids.add(r.get(LIMIT));
        }
        assertEquals(n, callbacks.get());
        return pids;
    }
}
