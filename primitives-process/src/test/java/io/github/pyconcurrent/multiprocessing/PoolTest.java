package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.shared.Event;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Pool: Python's semantics, and a dead worker failing only its own task. */
class PoolTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Test
    void applyReturnsTheTasksValue() {
        try (Pool pool = new Pool(2)) {
            int base = 40;
            assertEquals(42, pool.apply(() -> base + 2));
        }
    }

    @Test
    void tutorialApplyAsyncWithCallbacksRunsEveryCallbackOnTheResultThread() {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<AsyncResult<Integer>> results = new ArrayList<>();
        try (Pool pool = new Pool(5)) {
            for (int i = 0; i < 10; i++) {
                int n = i;
                results.add(pool.applyAsync(() -> 100 + n, v -> {
                    seen.add(v);
                    threads.add(Thread.currentThread().getName());
                }));
            }
        }
        List<Integer> sorted = new ArrayList<>(seen);
        Collections.sort(sorted);
        assertEquals(IntStream.range(100, 110).boxed().toList(), sorted);
        assertEquals(1, threads.size(), "callbacks ran on " + threads);
        assertTrue(threads.iterator().next().endsWith("-results"), threads.toString());
        for (AsyncResult<Integer> r : results) {
            assertTrue(r.ready());
            assertTrue(r.successful());
        }
    }

    @Test
    void tenTasksOnFiveWorkersRunFiveAtATime() {
        // Each task waits until five tasks are running at once: with a fair spread the pool runs
        // two rounds of five; if it piled tasks onto fewer workers the first round would never fill.
        io.github.pyconcurrent.shared.Barrier round = new io.github.pyconcurrent.shared.Barrier(5);
        try (Pool pool = new Pool(5)) {
            List<AsyncResult<Integer>> rs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                rs.add(pool.applyAsync(() -> round.waitFor(LIMIT)));
            }
            for (AsyncResult<Integer> r : rs) {
                r.get(LIMIT);
            }
        }
    }

    @Test
    void aTaskExceptionReachesGetAsTheCauseWithTheChildsStack() {
        try (Pool pool = new Pool(1)) {
            AsyncResult<Integer> r = pool.applyAsync(() -> {
                throw new IllegalArgumentException("bad input 7");
            });
            CompletionException e = assertThrows(CompletionException.class, r::get);
            IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertEquals("bad input 7", cause.getMessage());
            assertTrue(cause.getStackTrace().length > 0);
            assertFalse(r.successful());
            assertEquals(5, pool.apply(() -> 5), "the worker survived the failure");
        }
    }

    @Test
    void theErrorCallbackGetsTheTasksOwnException() throws Exception {
        CountDownLatch called = new CountDownLatch(1);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicInteger successCalls = new AtomicInteger();
        try (Pool pool = new Pool(1)) {
            pool.applyAsync(() -> {
                throw new UnsupportedOperationException("nope");
            }, v -> successCalls.incrementAndGet(), e -> {
                errors.add(e);
                called.countDown();
            });
        }
        assertEquals(0, called.getCount());
        assertEquals(0, successCalls.get());
        assertInstanceOf(UnsupportedOperationException.class, errors.getFirst());
    }

    @Test
    void anExceptionOfAClassTheParentLacksIsARemoteError() {
        try (Pool pool = new Pool(1)) {
            AsyncResult<Object> r = pool.applyAsync(() -> {
                throw new NotSerializableFailure("cannot travel");
            });
            CompletionException e = assertThrows(CompletionException.class, r::get);
            RemoteError remote = assertInstanceOf(RemoteError.class, e.getCause());
            assertEquals(NotSerializableFailure.class.getName(), remote.remoteClassName());
            assertTrue(remote.remoteStackTrace().contains("cannot travel"));
        }
    }

    /** An exception that cannot be serialized (a non-serializable field). */
    static final class NotSerializableFailure extends RuntimeException {
        private final transient Object unused = null;
        @SuppressWarnings("unused")
        private final Thread notSerializable = Thread.currentThread();

        NotSerializableFailure(String message) {
            super(message);
        }
    }

    @Test
    void aResultThatCannotBeSerializedFailsOnlyThatTask() {
        try (Pool pool = new Pool(1)) {
            AsyncResult<Object> r = pool.applyAsync(() -> new Object());
            CompletionException e = assertThrows(CompletionException.class, r::get);
            assertInstanceOf(UncheckedIOException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("java.lang.Object"), e.getCause().getMessage());
            assertEquals(3, pool.apply(() -> 3));
        }
    }

    @Test
    void aTaskThatCannotBeSerializedIsRefusedAtOnce() {
        Object local = new Object();
        try (Pool pool = new Pool(1)) {
            assertThrows(UncheckedIOException.class, () -> pool.applyAsync(() -> local.hashCode()));
        }
    }

    @Test
    void getWithATimeoutThrowsTimeoutErrorAndTheTaskGoesOn() {
        Event release = new Event();
        try (Pool pool = new Pool(1)) {
            AsyncResult<Integer> r = pool.applyAsync(() -> {
                release.waitFor();
                return 9;
            });
            assertThrows(TimeoutError.class, () -> r.get(Duration.ofMillis(50)));
            assertFalse(r.waitFor(Duration.ofMillis(10)));
            assertThrows(IllegalStateException.class, r::successful);
            release.set();
            assertEquals(9, r.get(LIMIT));
        }
    }

    @Test
    void mapKeepsOrderWithAnyChunksize() {
        List<Integer> input = IntStream.range(0, 1000).boxed().toList();
        List<Integer> expected = input.stream().map(x -> x * x).toList();
        try (Pool pool = new Pool(2)) {
            assertEquals(expected, pool.map(x -> x * x, input));
            assertEquals(expected, pool.map(x -> x * x, input, 1));
            assertEquals(expected, pool.map(x -> x * x, input, 333));
            assertEquals(List.of(), pool.map(x -> x * x, List.<Integer>of()));
            assertEquals(expected, pool.mapAsync(x -> x * x, input, 7).get(LIMIT));
            assertEquals(List.of("a1", "b2"), pool.starmap(args -> (String) args[0] + args[1],
                    List.of(new Object[] {"a", 1}, new Object[] {"b", 2})));
        }
    }

    @Test
    void aFailingItemFailsTheWholeMap() {
        try (Pool pool = new Pool(2)) {
            CompletionException e = assertThrows(CompletionException.class,
                    () -> pool.map(x -> 10 / x, List.of(1, 2, 0, 4)));
            assertInstanceOf(ArithmeticException.class, e.getCause());
        }
    }

    @Test
    void imapIsLazyAndOrdered() {
        // An endless input: imap must only ever read ahead a bounded amount of it.
        Iterable<Integer> naturals = () -> new Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return n++;
            }
        };
        try (Pool pool = new Pool(2)) {
            Iterator<Integer> it = pool.imap(x -> x + 1, naturals);
            for (int i = 0; i < 200; i++) {
                assertEquals(i + 1, it.next());
            }
            Iterator<Integer> chunked = pool.imap(x -> -x, List.of(1, 2, 3, 4, 5), 2);
            List<Integer> out = new ArrayList<>();
            chunked.forEachRemaining(out::add);
            assertEquals(List.of(-1, -2, -3, -4, -5), out);
        }
    }

    @Test
    void imapUnorderedYieldsEveryResult() {
        try (Pool pool = new Pool(3)) {
            Set<Integer> out = new HashSet<>();
            pool.imapUnordered(x -> x * 2, IntStream.range(0, 100).boxed().toList(), 3).forEachRemaining(out::add);
            assertEquals(IntStream.range(0, 100).map(x -> x * 2).boxed().collect(java.util.stream.Collectors.toSet()), out);
        }
    }

    @Test
    void aWorkerKilledMidTaskFailsThatTaskOnlyAndIsReplaced() {
        Event running = new Event();
        Event release = new Event();
        try (Pool pool = new Pool(2)) {
            AsyncResult<Long> victim = pool.applyAsync(() -> {
                running.set();
                release.waitFor();
                return ProcessHandle.current().pid();
            });
            List<AsyncResult<Integer>> others = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                others.add(pool.applyAsync(() -> n * 3));
            }
            assertTrue(running.waitFor(LIMIT));
            long victimPid = findVictim(pool);
            assertTrue(io.github.pyconcurrent.multiprocessing.Posix.signal(victimPid, Posix.SIGKILL));
            CompletionException e = assertThrows(CompletionException.class, () -> victim.get(LIMIT));
            WorkerDiedError died = assertInstanceOf(WorkerDiedError.class, e.getCause());
            assertEquals(victimPid, died.pid());
            assertEquals(-9, died.exitCode());
            for (int i = 0; i < 20; i++) {
                assertEquals(i * 3, others.get(i).get(LIMIT));
            }
            assertEquals(7, pool.apply(() -> 7));
            assertEquals(2, pool.workerPids().size());
            assertFalse(pool.workerPids().contains(victimPid));
            release.set();
        }
    }

    /**
     * Issue 17: callers blocked in {@code apply} read the workers' answers themselves, their own and
     * everybody else's; the answers that carry callbacks still have them run on the pool's result
     * thread, exactly once each, while the callers get their own values.
     */
    @Test
    void callersReadingTheAnswersLeaveEveryCallbackToTheResultThreadOnce() throws Exception {
        int callers = 4;
        int appliesEach = 300;
        int withCallbacks = 2000;
        ConcurrentHashMap<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
        Set<String> callbackThreads = ConcurrentHashMap.newKeySet();
        List<Throwable> wrong = new CopyOnWriteArrayList<>();
        List<AsyncResult<Integer>> async = new ArrayList<>();
        try (Pool pool = new Pool(2)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int base = c * 1_000_000;
                threads.add(Thread.ofPlatform().name("caller-" + c).start(() -> {
                    try {
                        go.await();
                        for (int i = 0; i < appliesEach; i++) {
                            int n = base + i;
                            assertEquals(n * 2, pool.apply(() -> n * 2));
                        }
                    } catch (Throwable t) {
                        wrong.add(t);
                    }
                }));
            }
            go.countDown();
            for (int i = 0; i < withCallbacks; i++) {
                int n = i;
                async.add(pool.applyAsync(() -> n, v -> {
                    calls.computeIfAbsent(v, k -> new AtomicInteger()).incrementAndGet();
                    callbackThreads.add(Thread.currentThread().getName());
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(withCallbacks, calls.size());
        calls.forEach((v, n) -> assertEquals(1, n.get(), "callbacks of task " + v));
        assertEquals(1, callbackThreads.size(), "callbacks ran on " + callbackThreads);
        assertTrue(callbackThreads.iterator().next().endsWith("-results"), callbackThreads.toString());
        for (int i = 0; i < withCallbacks; i++) {
            assertEquals(i, async.get(i).get());
        }
    }

    /**
     * Issue 17: a worker SIGKILLed while its caller sleeps on the pool's doorbell reading answers
     * itself (and while another caller's answer passes through that caller) fails that caller's
     * task only, with {@link WorkerDiedError}, at once.
     */
    @Test
    void aWorkerKilledWhileItsCallerReadsTheAnswersFailsOnlyThatTask() throws Exception {
        long before = Pool.helpSleepNanos;
        Pool.helpSleepNanos = LIMIT.toNanos();   // the victim's caller keeps reading answers all along
        Event running = new Event();
        Event release = new Event();
        try (Pool pool = new Pool(2)) {
            AtomicReference<Throwable> victimSaw = new AtomicReference<>();
            Thread victimCaller = Thread.ofPlatform().start(() -> {
                try {
                    pool.apply(() -> {
                        running.set();
                        release.waitFor();
                        return 0;
                    });
                } catch (Throwable t) {
                    victimSaw.set(t);
                }
            });
            assertTrue(running.waitFor(LIMIT));
            long victimPid = findVictim(pool);   // applies answered through the victim's caller
            assertTrue(Posix.signal(victimPid, Posix.SIGKILL));
            victimCaller.join(LIMIT.toMillis());
            assertFalse(victimCaller.isAlive(), "the victim's caller still waits");
            CompletionException e = assertInstanceOf(CompletionException.class, victimSaw.get());
            WorkerDiedError died = assertInstanceOf(WorkerDiedError.class, e.getCause());
            assertEquals(victimPid, died.pid());
            for (int i = 0; i < 50; i++) {
                int n = i;
                assertEquals(n + 1, pool.apply(() -> n + 1));
            }
            assertFalse(pool.workerPids().contains(victimPid));
            release.set();
        } finally {
            Pool.helpSleepNanos = before;
        }
    }

    /** Issue 17: terminate() reaches a caller that sleeps on the doorbell reading answers, at once. */
    @Test
    void terminateReachesACallerReadingTheAnswersAtOnce() throws Exception {
        long before = Pool.helpSleepNanos;
        Pool.helpSleepNanos = LIMIT.toNanos();
        Event running = new Event();
        Event never = new Event();
        Pool pool = new Pool(2);
        try {
            AtomicReference<Throwable> saw = new AtomicReference<>();
            Thread caller = Thread.ofPlatform().start(() -> {
                try {
                    pool.apply(() -> {
                        running.set();
                        return never.waitFor(Duration.ofHours(1));
                    });
                } catch (Throwable t) {
                    saw.set(t);
                }
            });
            assertTrue(running.waitFor(LIMIT));
            pool.terminate();
            caller.join(LIMIT.toMillis());
            assertFalse(caller.isAlive(), "the caller still waits after terminate()");
            assertInstanceOf(CancellationException.class, saw.get());
            pool.join();
        } finally {
            Pool.helpSleepNanos = before;
            pool.terminate();
        }
    }

    /** The worker that is blocked in the victim task: the one whose pid the others never report. */
    private static long findVictim(Pool pool) {
        Set<Long> busy = new HashSet<>(pool.workerPids());
        // The other worker answers quickly; the victim cannot answer while it waits.
        for (int i = 0; i < 50 && busy.size() > 1; i++) {
            busy.remove(pool.apply(() -> ProcessHandle.current().pid()));
        }
        assertEquals(1, busy.size(), "could not tell the busy worker apart");
        return busy.iterator().next();
    }

    @Test
    void aTaskThatCallsSystemExitIsAWorkerDeath() {
        try (Pool pool = new Pool(1)) {
            AsyncResult<Integer> r = pool.applyAsync(() -> {
                System.exit(3);
                return 0;
            });
            CompletionException e = assertThrows(CompletionException.class, () -> r.get(LIMIT));
            assertEquals(3, assertInstanceOf(WorkerDiedError.class, e.getCause()).exitCode());
            assertEquals(1, pool.apply(() -> 1));
        }
    }

    /**
     * Issue 20: workers SIGKILLed from outside as soon as they appear (many before they are ready)
     * are replaced for as long as it goes on; only the killed workers' tasks fail, with
     * WorkerDiedError, and the pool works afterwards. It must not blame an initializer it lacks.
     */
    @Test
    void workersKilledFromOutsideKeepBeingReplacedAndOnlyTheirTasksFail() throws Exception {
        try (Pool pool = new Pool(2)) {
            List<AsyncResult<Integer>> results = new ArrayList<>();
            AtomicInteger callbacks = new AtomicInteger();
            for (int i = 0; i < 200; i++) {
                int n = i;
                results.add(pool.applyAsync(() -> {
                    Thread.sleep(10);   // the work: so that kills land on running tasks
                    return n;
                }, v -> callbacks.incrementAndGet(), t -> callbacks.incrementAndGet()));
            }
            Set<Long> killed = new HashSet<>();
            while (killed.size() < 12) {
                for (long pid : pool.workerPids()) {
                    if (killed.add(pid)) {
                        Posix.signal(pid, Posix.SIGKILL);
                    }
                }
                Thread.yield();
            }
            for (int i = 0; i < 200; i++) {
                AsyncResult<Integer> r = results.get(i);
                assertTrue(r.waitFor(LIMIT), "task " + i + " never finished");
                if (!r.successful()) {
                    CompletionException e = assertThrows(CompletionException.class, r::get);
                    WorkerDiedError died = assertInstanceOf(WorkerDiedError.class, e.getCause());
                    assertTrue(killed.contains(died.pid()), "task " + i + " failed in a worker nobody killed: " + died);
                } else {
                    assertEquals(i, r.get());
                }
            }
            assertEquals(7, pool.apply(() -> 7));
            pool.close();
            assertEquals(200, callbacks.get());
        }
    }

    /** Only an initializer that throws stops the pool: in 3 x processes workers in a row. */
    @Test
    void anInitializerThatThrowsInEveryWorkerStopsThePool() {
        try (Pool pool = Pool.builder().processes(1).initializer(() -> {
            throw new IllegalStateException("no database here");
        }).build()) {
            AsyncResult<Integer> r = pool.applyAsync(() -> 1);
            CompletionException e = assertThrows(CompletionException.class, () -> r.get(LIMIT));
            IllegalStateException broken = assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(broken.getMessage().contains("initializer failed"), broken.getMessage());
            assertThrows(IllegalStateException.class, () -> pool.applyAsync(() -> 2));
        }
    }

    @Test
    void initializerRunsInEveryWorkerAndMaxTasksPerChildReplacesWorkers() {
        try (Pool pool = Pool.builder().processes(2).maxTasksPerChild(2)
                .initializer(() -> System.setProperty("pool.test.init", "yes")).build()) {
            Set<Long> pids = new HashSet<>();
            for (int i = 0; i < 8; i++) {
                assertEquals("yes", pool.apply(() -> System.getProperty("pool.test.init")));
                pids.add(pool.apply(() -> ProcessHandle.current().pid()));
            }
            assertTrue(pids.size() >= 4, "16 tasks at 2 per worker should use at least 4 workers, used " + pids);
        }
    }

    @Test
    void closeRunsEveryQueuedTaskAndLeavesNoWorker() {
        AtomicInteger callbacks = new AtomicInteger();
        List<Long> pids;
        List<AsyncResult<Integer>> rs = new ArrayList<>();
        Pool pool = new Pool(2);
        for (int i = 0; i < 200; i++) {
            int n = i;
            rs.add(pool.applyAsync(() -> n, v -> callbacks.incrementAndGet()));
        }
        pids = pool.workerPids();
        pool.close();
        assertEquals(200, callbacks.get());
        for (int i = 0; i < 200; i++) {
            assertEquals(i, rs.get(i).get());
        }
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " outlived close()");
        }
        assertThrows(IllegalStateException.class, () -> pool.applyAsync(() -> 1));
    }

    @Test
    void terminateIsPromptWithTenThousandLongTasksQueued() {
        Pool pool = new Pool(2);
        Event never = new Event();
        List<AsyncResult<Boolean>> rs = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            rs.add(pool.applyAsync(() -> never.waitFor(Duration.ofHours(1))));
        }
        List<Long> pids = pool.workerPids();
        pool.terminate();
        pool.join();
        for (AsyncResult<Boolean> r : rs) {
            assertThrows(CancellationException.class, r::get);
        }
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        }
        assertThrows(IllegalStateException.class, () -> pool.applyAsync(() -> 1));
    }

    @Test
    void joinBeforeCloseThrows() {
        try (Pool pool = new Pool(1)) {
            assertThrows(IllegalStateException.class, pool::join);
        }
    }

    @Test
    void spawnPoolWorkersAreFreshJvms() {
        String before = Multiprocessing.getStartMethod();
        Multiprocessing.setStartMethod(Multiprocessing.SPAWN, true);
        try (Pool pool = new Pool(2)) {
            assertNotEquals(ProcessHandle.current().pid(), (long) pool.apply(() -> ProcessHandle.current().pid()));
        } finally {
            Multiprocessing.setStartMethod(before, true);
        }
    }
}
