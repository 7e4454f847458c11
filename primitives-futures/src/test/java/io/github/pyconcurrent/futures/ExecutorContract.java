package io.github.pyconcurrent.futures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.multiprocessing.SerializableCallable;
import io.github.pyconcurrent.shared.Event;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract every executor of this package keeps, written once (as JSR-166's
 * AbstractExecutorServiceTest and CPython's test_concurrent_futures) and run for each executor by a
 * subclass: Python's semantics where Python defines them, the JDK's ExecutorService contract
 * where Java does. Tasks wait on shared-memory {@link Event}s, so the same tasks block and release
 * in a thread, a worker JVM or a cluster member; nothing waits by sleeping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ExecutorContract {
    static final Duration LIMIT = Duration.ofSeconds(60);

    /** Released at the end of every test, so no task outlives it. */
    Event release;
    /** Set by a blocking task when it has started. */
    Event started;
    private final List<AbstractExecutor> executors = new ArrayList<>();
    /** For the tests that do not shut their executor down: one per class, as workers are costly to start. */
    private AbstractExecutor shared;

    /** A new executor with {@code workers} workers. */
    abstract AbstractExecutor create(int workers);

    /** Whether shutdownNow stops a task that is running (threads: interrupt; worker JVMs: killed). */
    abstract boolean shutdownNowStopsRunningTasks();

    /** After every executor of the class was closed: nothing of the tests may be left. */
    void assertNothingLeft() {}

    /** A new executor with {@code workers} workers, closed after the test. */
    AbstractExecutor executor(int workers) {
        return trackExecutor(create(workers));
    }

    /**
     * The class's executor with three workers, for a test that does not shut it down; the
     * previous test's blocked tasks were released, so its workers are free or about to be.
     */
    AbstractExecutor shared() {
        if (shared == null) {
            shared = create(3);
        }
        return shared;
    }

    @AfterAll
    void closeShared() {
        if (shared != null) {
            shared.close();
            assertTrue(shared.isTerminated());
        }
        assertNothingLeft();
    }

    /** Closes {@code e} after the test. */
    AbstractExecutor trackExecutor(AbstractExecutor e) {
        executors.add(e);
        return e;
    }

    @BeforeEach
    void events() {
        release = new Event();
        started = new Event();
    }

    @AfterEach
    void releaseAndClose() {
        release.set();
        for (AbstractExecutor e : executors) {
            e.close();
            assertTrue(e.isTerminated());
        }
        executors.clear();
    }

    /** A task that sets {@code started}, waits for {@code release}, and returns {@code value}. */
    static SerializableCallable<Integer> blocker(Event started, Event release, int value) {
        return () -> {
            started.set();
            release.waitFor();
            return value;
        };
    }

    /** Submits a blocking task and waits until it runs: with one worker, the executor is now busy. */
    Future<Integer> occupy(AbstractExecutor executor) {
        Future<Integer> f = executor.submit(blocker(started, release, -1));
        assertTrue(started.waitFor(LIMIT), "the blocking task never started");
        return f;
    }

    /**
     * Submits {@code task} so that it stays pending: after {@link #occupy}, tasks that wait for
     * {@code release} are submitted until one is not handed to a worker (a process pool takes a
     * few ahead), and then {@code task}.
     */
    <T> Future<T> pendingTask(AbstractExecutor executor, SerializableCallable<T> task) {
        Event release = this.release;
        for (int i = 0; i < 10_000 && executor.submit(() -> release.waitFor()).running(); i++) {
            // handed over: submit another
        }
        Future<T> f = executor.submit(task);
        assertFalse(f.running(), "the task should wait for a worker");
        assertFalse(f.done());
        return f;
    }

    // ---------------------------------------------------------------- submit and Future

    /** submit returns a future of the task's value; Runnables give null or the given result. */
    @Test
    void submitReturnsTheTasksValue() {
        AbstractExecutor ex = shared();
        int base = 40;
        assertEquals(42, ex.submit(() -> base + 2).result());
        assertNull(ex.submit((Runnable & Serializable) () -> { }).result(LIMIT));
        assertEquals("done", ex.submit((Runnable & Serializable) () -> { }, "done").result(LIMIT));
    }

    /** A task's exception: result() throws it as the cause of CompletionException, exception() returns it. */
    @Test
    void aFailedTaskReportsItsException() {
        AbstractExecutor ex = shared();
        Future<Integer> f = ex.submit(() -> {
            throw new IllegalArgumentException("bad input");
        });
        CompletionException e = assertThrows(CompletionException.class, f::result);
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals("bad input", e.getCause().getMessage());
        assertEquals("bad input", f.exception().getMessage());
        assertTrue(f.done());
        assertFalse(f.cancelled());
        assertNull(ex.submit(() -> 1).exception(LIMIT), "exception() of a success is null");
    }

    /** result(timeout) and exception(timeout) throw TimeoutError while the task runs; it goes on. */
    @Test
    void resultTimesOutWhileTheTaskRuns() {
        AbstractExecutor ex = shared();
        Future<Integer> f = occupy(ex);
        assertThrows(TimeoutError.class, () -> f.result(Duration.ofMillis(20)));
        assertThrows(TimeoutError.class, () -> f.exception(Duration.ZERO));
        assertTrue(f.running());
        release.set();
        assertEquals(-1, f.result(LIMIT));
        assertFalse(f.running());
    }

    /** cancel() of a task not yet running succeeds, and the task never runs. */
    @Test
    void cancelBeforeRunningSucceedsAndTheTaskNeverRuns() {
        AbstractExecutor ex = executor(1);
        occupy(ex);
        Event ran = new Event();
        Future<Integer> f = pendingTask(ex, () -> {
            ran.set();
            return 1;
        });
        assertTrue(f.cancel());
        assertTrue(f.cancel(), "cancelling again is still true, as Python");
        assertTrue(f.cancelled());
        assertTrue(f.done());
        assertFalse(f.running());
        assertThrows(CancellationException.class, f::result);
        assertThrows(CancellationException.class, f::exception);
        release.set();
        ex.shutdown(true, false);
        assertFalse(ran.isSet(), "a cancelled task ran");
    }

    /** Python's cancel() of a running or finished task fails; the task completes normally. */
    @Test
    void cancelOfARunningOrFinishedTaskFails() {
        AbstractExecutor ex = shared();
        Future<Integer> running = occupy(ex);
        assertTrue(running.running());
        assertFalse(running.cancel());
        assertFalse(running.cancelled());
        release.set();
        assertEquals(-1, running.result(LIMIT));
        assertFalse(running.cancel());
        assertFalse(running.cancelled());
    }

    /** The JDK's cancel(true) cancels even a running task: its future is cancelled, the executor goes on. */
    @Test
    void jdkCancelCancelsARunningTask() {
        AbstractExecutor ex = shared();
        Future<Integer> running = occupy(ex);
        assertTrue(running.cancel(true));
        assertTrue(running.isCancelled());
        assertThrows(CancellationException.class, running::result);
        release.set();
        assertEquals(5, ex.submit(() -> 5).result(LIMIT));
    }

    /** Done callbacks run in the order added once the task is done; added to a done future, at once in the adding thread. */
    @Test
    void doneCallbacksRunInOrderAndAtOnceWhenAlreadyDone() {
        AbstractExecutor ex = shared();
        Future<Integer> f = occupy(ex);
        List<String> seen = new CopyOnWriteArrayList<>();
        f.addDoneCallback(d -> seen.add("first " + d.result()));
        f.addDoneCallback(d -> {
            throw new IllegalStateException("a failing callback is logged, the others still run");
        });
        f.addDoneCallback(d -> seen.add("second " + d.result()));
        Future<Integer> last = new Future<>();
        f.addDoneCallback(d -> last.complete(1));
        assertEquals(List.of(), seen, "no callback before the task is done");
        release.set();
        assertEquals(-1, f.result(LIMIT));
        // Callbacks run in the completing thread, after result() may have returned (as Python's):
        // the last one added ran after the others.
        assertEquals(1, last.result(LIMIT));
        Thread here = Thread.currentThread();
        List<Thread> ranIn = new ArrayList<>();
        f.addDoneCallback(d -> ranIn.add(Thread.currentThread()));
        assertEquals(List.of(here), ranIn);
        assertEquals(List.of("first -1", "second -1"), seen);
    }

    // ---------------------------------------------------------------- map

    /** map yields every result in input order, with any chunksize. */
    @Test
    void mapYieldsResultsInInputOrder() {
        AbstractExecutor ex = shared();
        List<Integer> in = IntStream.range(0, 50).boxed().toList();
        for (int chunksize : new int[] {1, 7, 100}) {
            List<Integer> out = new ArrayList<>();
            ex.map(x -> x * x, in, null, chunksize).forEachRemaining(out::add);
            assertEquals(in.stream().map(x -> x * x).toList(), out, "chunksize " + chunksize);
        }
        assertFalse(ex.map(x -> x, List.<Integer>of()).hasNext());
    }

    /** map: a failed item throws CompletionException from next(), after the results before it. */
    @Test
    void mapRaisesAFailureFromNext() {
        AbstractExecutor ex = shared();
        Iterator<Integer> it = ex.map(x -> 10 / x, List.of(5, 2, 0, 1));
        assertEquals(2, it.next());
        assertEquals(5, it.next());
        CompletionException e = assertThrows(CompletionException.class, it::next);
        assertInstanceOf(ArithmeticException.class, e.getCause());
    }

    /**
     * map's timeout is counted from the call, as Python: once that much time has passed, next()
     * on an unfinished result throws TimeoutError without waiting again. A helper releases the
     * task as soon as next() blocks, so a timeout counted from next() would return the value.
     */
    @Test
    void mapTimeoutIsCountedFromTheCall() throws Exception {
        AbstractExecutor ex = shared();
        Event release = this.release;
        Duration timeout = Duration.ofMillis(100);
        Iterator<Integer> it = ex.map(x -> release.waitFor() ? x : -x, List.of(1), timeout, 1);
        // Measured once map has returned: its deadline was set inside the call, so it has surely
        // passed then (measured before the call, the lambda's first creation, milliseconds on a
        // loaded machine, fell between that clock and map's, and next() waited out the rest).
        long returned = System.nanoTime();
        Waits.untilClock(returned + timeout.toNanos());
        Thread test = Thread.currentThread();
        Thread releaser = Thread.ofPlatform().start(() -> {
            Waits.untilBlocked(test, release::isSet);
            release.set();
        });
        try {
            assertThrows(TimeoutError.class, it::next);
        } finally {
            release.set();
            releaser.join();
        }
    }

    // ---------------------------------------------------------------- as_completed and wait

    /** as_completed yields the finished futures first, then the others in the order they finish. */
    @Test
    void asCompletedYieldsInCompletionOrder() {
        AbstractExecutor ex = shared();
        Event startedA = new Event();
        Event releaseA = new Event();
        Event startedB = new Event();
        Event releaseB = new Event();
        Future<Integer> a = ex.submit(blocker(startedA, releaseA, 1));
        Future<Integer> b = ex.submit(blocker(startedB, releaseB, 2));
        Future<Integer> c = ex.submit(() -> 3);
        assertEquals(3, c.result(LIMIT));
        Iterator<Future<Integer>> it = Futures.asCompleted(List.of(a, b, c, a));
        assertSame(c, it.next(), "the finished one first");
        releaseB.set();
        assertSame(b, it.next());
        releaseA.set();
        assertSame(a, it.next());
        assertFalse(it.hasNext(), "a future given twice comes once");
        assertThrows(NoSuchElementException.class, it::next);
    }

    /** as_completed with a timeout: TimeoutError from next() when the rest is not done in time. */
    @Test
    void asCompletedTimesOut() {
        AbstractExecutor ex = shared();
        Future<Integer> done = ex.submit(() -> 7);
        assertEquals(7, done.result(LIMIT));
        Future<Integer> blocked = occupy(ex);
        Iterator<Future<Integer>> it = Futures.asCompleted(List.of(blocked, done), Duration.ofMillis(50));
        assertSame(done, it.next());
        assertTrue(it.hasNext());
        TimeoutError e = assertThrows(TimeoutError.class, it::next);
        assertTrue(e.getMessage().startsWith("1 (of 2)"), e.getMessage());
    }

    /** wait(FIRST_COMPLETED) returns when one future is done; the others are in notDone. */
    @Test
    void waitFirstCompleted() {
        AbstractExecutor ex = shared();
        Future<Integer> blocked = occupy(ex);
        Future<Integer> quick = ex.submit(() -> 1);
        DoneAndNotDone<Future<Integer>> r = Futures.waitFor(List.of(blocked, quick), LIMIT, ReturnWhen.FIRST_COMPLETED);
        assertEquals(java.util.Set.of(quick), r.done());
        assertEquals(java.util.Set.of(blocked), r.notDone());
    }

    /** wait(FIRST_EXCEPTION) returns when one future fails; with none failing it waits for all. */
    @Test
    void waitFirstException() {
        AbstractExecutor ex = shared();
        Future<Integer> blocked = occupy(ex);
        Future<Integer> ok = ex.submit(() -> 1);
        assertEquals(1, ok.result(LIMIT));
        Future<Integer> failing = ex.submit(() -> {
            throw new IllegalStateException("x");
        });
        DoneAndNotDone<Future<Integer>> r = Futures.waitFor(List.of(blocked, ok, failing), LIMIT, ReturnWhen.FIRST_EXCEPTION);
        assertEquals(java.util.Set.of(ok, failing), r.done());
        assertEquals(java.util.Set.of(blocked), r.notDone());
        release.set();
        DoneAndNotDone<Future<Integer>> all = Futures.waitFor(List.of(blocked, ok), LIMIT, ReturnWhen.FIRST_EXCEPTION);
        assertEquals(java.util.Set.of(blocked, ok), all.done(), "no exception: it waits for all");
    }

    /** wait(ALL_COMPLETED) with a timeout returns what is done by then; wait(fs) waits for all. */
    @Test
    void waitAllCompleted() {
        AbstractExecutor ex = shared();
        Future<Integer> blocked = occupy(ex);
        Future<Integer> quick = ex.submit(() -> 1);
        assertEquals(1, quick.result(LIMIT));
        DoneAndNotDone<Future<Integer>> r = Futures.waitFor(List.of(blocked, quick), Duration.ofMillis(20), ReturnWhen.ALL_COMPLETED);
        assertEquals(java.util.Set.of(quick), r.done());
        assertEquals(java.util.Set.of(blocked), r.notDone());
        release.set();
        DoneAndNotDone<Future<Integer>> all = Futures.waitFor(List.of(blocked, quick));
        assertEquals(2, all.done().size());
        assertTrue(all.notDone().isEmpty());
    }

    // ---------------------------------------------------------------- shutdown

    /** After shutdown: new tasks are refused, the running one finishes, then the executor terminates. */
    @Test
    void shutdownRefusesNewTasksAndLetsRunningOnesFinish() throws Exception {
        AbstractExecutor ex = executor(1);
        Future<Integer> running = occupy(ex);
        ex.shutdown();
        assertTrue(ex.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> ex.submit(() -> 1));
        assertThrows(RejectedExecutionException.class, () -> ex.execute((Runnable & Serializable) () -> { }));
        assertThrows(RejectedExecutionException.class, () -> ex.map(x -> x, List.of(1)));
        assertFalse(ex.awaitTermination(10, TimeUnit.MILLISECONDS), "terminated while a task runs");
        assertFalse(ex.isTerminated());
        release.set();
        assertTrue(ex.awaitTermination(LIMIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(ex.isTerminated());
        assertEquals(-1, running.result(LIMIT));
    }

    /** Queued tasks still run after shutdown() (only new ones are refused). */
    @Test
    void shutdownRunsTheQueuedTasks() {
        AbstractExecutor ex = executor(1);
        occupy(ex);
        Future<Integer> queued = pendingTask(ex, () -> 9);
        ex.shutdown();
        release.set();
        assertEquals(9, queued.result(LIMIT));
    }

    /** shutdown(wait, cancelFutures) cancels the tasks not started, waits for the running one. */
    @Test
    void shutdownWithCancelFuturesCancelsThePendingTasks() {
        AbstractExecutor ex = executor(1);
        Future<Integer> running = occupy(ex);
        Future<Integer> queued = pendingTask(ex, () -> 9);
        // Cancelling happens before shutdown waits: the callback lets the running task end then.
        queued.addDoneCallback(d -> release.set());
        ex.shutdown(true, true);
        assertTrue(queued.isCancelled());
        assertEquals(-1, running.result(LIMIT));
        assertTrue(ex.isTerminated());
    }

    /** shutdownNow returns the tasks that never started (the Runnables given), cancelled; running ones are stopped. */
    @Test
    void shutdownNowReturnsTheTasksThatNeverStarted() throws Exception {
        AbstractExecutor ex = executor(1);
        Future<Integer> running = occupy(ex);
        pendingTask(ex, () -> 0);
        List<Runnable> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Runnable r = (Runnable & Serializable) () -> { };
            queued.add(r);
            ex.execute(r);
        }
        List<Runnable> never = ex.shutdownNow();
        assertTrue(ex.isShutdown());
        assertTrue(never.containsAll(queued), "the executed Runnables come back as they were given");
        assertEquals(5, never.size(), "three Runnables, the pending filler and the pending task");
        assertThrows(RejectedExecutionException.class, () -> ex.submit(() -> 1));
        if (!shutdownNowStopsRunningTasks()) {
            release.set();
        }
        assertTrue(ex.awaitTermination(LIMIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(running.isDone());
    }

    /** awaitTermination is false while running, true after, and true at once once terminated. */
    @Test
    void awaitTerminationWaitsForTheLastTask() throws Exception {
        AbstractExecutor ex = executor(1);
        assertFalse(ex.awaitTermination(0, TimeUnit.SECONDS), "not shut down yet");
        ex.shutdown();
        assertTrue(ex.awaitTermination(LIMIT.toSeconds(), TimeUnit.SECONDS), "nothing ran: terminates at once");
        assertTrue(ex.awaitTermination(0, TimeUnit.SECONDS));
        AbstractExecutor busy = executor(1);
        occupy(busy);
        busy.shutdown();
        assertFalse(busy.awaitTermination(10, TimeUnit.MILLISECONDS));
        release.set();
        assertTrue(busy.awaitTermination(LIMIT.toSeconds(), TimeUnit.SECONDS));
    }

    /** close() (try-with-resources) waits until every task is done and the executor terminated; twice is fine. */
    @Test
    void closeWaitsForEveryTask() {
        AbstractExecutor ex = executor(1);
        List<Future<Integer>> fs = new ArrayList<>();
        try (ex) {
            for (int i = 0; i < 20; i++) {
                int n = i;
                fs.add(ex.submit(() -> n * 2));
            }
        }
        assertTrue(ex.isTerminated());
        for (int i = 0; i < 20; i++) {
            assertTrue(fs.get(i).isDone());
            assertEquals(i * 2, fs.get(i).resultNow());
        }
        ex.close();
    }

    /** close() interrupted while waiting stops the executor (shutdownNow) and keeps the interrupt, as the JDK's. */
    @Test
    void closeInterruptedStopsTheExecutorAndKeepsTheInterrupt() {
        if (!shutdownNowStopsRunningTasks()) {
            return; // a cluster member's task cannot be stopped from here: nothing would end the wait
        }
        AbstractExecutor ex = executor(1);
        Future<Integer> running = occupy(ex);
        Thread.currentThread().interrupt();
        ex.close();
        assertTrue(Thread.interrupted(), "the interrupt status is set again");
        assertTrue(ex.isTerminated());
        assertTrue(running.isDone());
    }

    // ---------------------------------------------------------------- invokeAll / invokeAny

    /** invokeAll returns every future done, in the tasks' order; failures are inside their futures. */
    @Test
    void invokeAllReturnsEveryFutureDone() throws Exception {
        AbstractExecutor ex = shared();
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            tasks.add((SerializableCallable<Integer>) () -> {
                if (n == 3) {
                    throw new IllegalStateException("three");
                }
                return n;
            });
        }
        List<java.util.concurrent.Future<Integer>> fs = ex.invokeAll(tasks);
        assertEquals(10, fs.size());
        for (int i = 0; i < 10; i++) {
            assertTrue(fs.get(i).isDone());
            if (i == 3) {
                ExecutionException e = assertThrows(ExecutionException.class, fs.get(i)::get);
                assertEquals("three", e.getCause().getMessage());
            } else {
                assertEquals(i, fs.get(i).get());
            }
        }
        assertEquals(List.of(), ex.invokeAll(List.of()));
        assertThrows(NullPointerException.class, () -> ex.invokeAll(null));
        List<Callable<Integer>> withNull = new ArrayList<>();
        withNull.add((SerializableCallable<Integer>) () -> 1);
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> ex.invokeAll(withNull));
    }

    /** Timed invokeAll: the tasks not done in time come back cancelled; the done ones with their values. */
    @Test
    void timedInvokeAllCancelsWhatIsNotDone() throws Exception {
        AbstractExecutor ex = shared();
        List<Callable<Integer>> tasks = List.of((SerializableCallable<Integer>) () -> 1, blocker(started, release, 2));
        List<java.util.concurrent.Future<Integer>> fs = ex.invokeAll(tasks, 50, TimeUnit.MILLISECONDS);
        assertEquals(2, fs.size());
        assertTrue(fs.get(0).isDone(), "done in time, or cancelled");
        assertTrue(fs.get(0).isCancelled() || fs.get(0).resultNow() == 1);
        assertTrue(fs.get(1).isDone());
        assertTrue(fs.get(1).isCancelled(), "the blocked task cannot have finished");
        List<java.util.concurrent.Future<Integer>> quick = ex.invokeAll(List.of((SerializableCallable<Integer>) () -> 3), 60, TimeUnit.SECONDS);
        assertEquals(3, quick.get(0).get());
    }

    /** invokeAny returns a task's value; if all fail, ExecutionException; no task, IllegalArgumentException. */
    @Test
    void invokeAnyReturnsASuccessfulResult() throws Exception {
        AbstractExecutor ex = shared();
        SerializableCallable<Integer> fails = () -> {
            throw new IllegalStateException("no");
        };
        assertEquals(2, ex.invokeAny(List.of(fails, () -> 2)));
        ExecutionException e = assertThrows(ExecutionException.class, () -> ex.invokeAny(List.of(fails, fails)));
        assertEquals("no", e.getCause().getMessage());
        assertThrows(IllegalArgumentException.class, () -> ex.invokeAny(List.of()));
        assertThrows(NullPointerException.class, () -> ex.invokeAny(null));
        assertThrows(NullPointerException.class, () -> ex.invokeAny(Collections.singletonList(null)));
    }

    /** Timed invokeAny: the value of one that succeeds in time; TimeoutException if none does. */
    @Test
    void timedInvokeAny() throws Exception {
        AbstractExecutor ex = shared();
        assertEquals(4, ex.invokeAny(List.of((SerializableCallable<Integer>) () -> 4), 60, TimeUnit.SECONDS));
        assertThrows(TimeoutException.class, () -> ex.invokeAny(List.of(blocker(started, release, 1)), 20, TimeUnit.MILLISECONDS));
    }

    /** The executor is a plain ExecutorService: CompletableFuture's async stages take it as their executor. */
    @Test
    void futuresComposeAsCompletableFutures() {
        AbstractExecutor ex = shared();
        Future<Integer> a = ex.submit(() -> 20);
        Future<Integer> b = ex.submit(() -> 22);
        assertEquals(42, a.thenCombine(b, Integer::sum).join());
    }

    static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
