package io.github.pyconcurrent.futures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.threading.Barrier;
import io.github.pyconcurrent.threading.Threading;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The executor contract for ThreadPoolExecutor, and what is its own: Python's worker threads. */
class ThreadPoolExecutorTest extends ExecutorContract {
    @Override
    AbstractExecutor create(int workers) {
        return new ThreadPoolExecutor(workers);
    }

    @Override
    boolean shutdownNowStopsRunningTasks() {
        return true; // it interrupts them
    }

    /** Workers are this project's daemon Threads named PREFIX_N, visible to Threading.currentThread(). */
    @Test
    void workersArePythonThreadsNamedAfterThePrefix() {
        ThreadPoolExecutor ex = (ThreadPoolExecutor) track(ThreadPoolExecutor.builder().maxWorkers(1).threadNamePrefix("crawler").build());
        io.github.pyconcurrent.threading.Thread worker = ex.submit(Threading::currentThread).result(LIMIT);
        assertEquals("crawler_0", worker.name());
        assertTrue(worker.isDaemon());
        assertEquals(List.of(worker), ex.workers());
        assertTrue(track(new ThreadPoolExecutor(1)).toString().contains("ThreadPoolExecutor-"));
    }

    /** Threads start as tasks arrive, up to maxWorkers, and all of them run at once. */
    @Test
    void growsToMaxWorkersAndNoFurther() {
        ThreadPoolExecutor ex = (ThreadPoolExecutor) executor(3);
        assertEquals(List.of(), ex.workers(), "no thread before the first task");
        Barrier allThree = new Barrier(3);
        Set<String> names = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Future<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            fs.add(ex.submit(() -> {
                names.add(Thread.currentThread().getName());
                return allThree.waitFor(LIMIT);
            }));
        }
        for (Future<Integer> f : fs) {
            f.result(LIMIT);
        }
        assertEquals(3, names.size(), names.toString());
        assertEquals(3, ex.workers().size());
    }

    /** The initializer runs once in each worker, before its tasks. */
    @Test
    void initializerRunsInEachWorker() {
        AtomicInteger inits = new AtomicInteger();
        ThreadLocal<Boolean> initialized = ThreadLocal.withInitial(() -> false);
        ThreadPoolExecutor ex = (ThreadPoolExecutor) track(ThreadPoolExecutor.builder().maxWorkers(2).initializer(() -> {
            inits.incrementAndGet();
            initialized.set(true);
        }).build());
        Barrier both = new Barrier(2);
        Future<Boolean> a = ex.submit(() -> both.waitFor(LIMIT) >= 0 && initialized.get());
        Future<Boolean> b = ex.submit(() -> both.waitFor(LIMIT) >= 0 && initialized.get());
        assertTrue(a.result(LIMIT));
        assertTrue(b.result(LIMIT));
        assertEquals(2, inits.get());
    }

    /** A failing initializer breaks the executor (Python's BrokenThreadPool): pending tasks fail, new ones are refused. */
    @Test
    void aFailingInitializerBreaksTheExecutor() {
        ThreadPoolExecutor ex = (ThreadPoolExecutor) track(ThreadPoolExecutor.builder().maxWorkers(1).initializer(() -> {
            throw new IllegalStateException("no database");
        }).build());
        Future<Integer> f = ex.submit(() -> 1);
        CompletionException e = assertThrows(CompletionException.class, () -> f.result(LIMIT));
        IllegalStateException broken = assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("no database", broken.getCause().getMessage());
        RejectedExecutionException refused = assertThrows(RejectedExecutionException.class, () -> ex.submit(() -> 2));
        assertTrue(refused.getMessage().contains("broken"), refused.getMessage());
    }

    /** cancel(true) interrupts the thread running the task (the JDK's contract); the worker goes on. */
    @Test
    void cancelTrueInterruptsTheRunningTask() {
        ThreadPoolExecutor ex = (ThreadPoolExecutor) executor(1);
        io.github.pyconcurrent.threading.Event interrupted = new io.github.pyconcurrent.threading.Event();
        Future<Integer> f = ex.submit(() -> {
            started.set();
            try {
                release.waitFor();
            } catch (RuntimeException e) {
                interrupted.set();
            }
            return 0;
        });
        assertTrue(started.waitFor(LIMIT));
        assertTrue(f.cancel(true));
        assertTrue(interrupted.waitFor(LIMIT));
        assertEquals(false, ex.submit(Thread::interrupted).result(LIMIT), "no interrupt leaks into the next task");
    }

    /** An exception from an execute()d task goes to Threading.excepthook, naming the worker. */
    @Test
    void executeFailuresGoToTheExcepthook() {
        ThreadPoolExecutor ex = (ThreadPoolExecutor) executor(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        io.github.pyconcurrent.threading.Event reported = new io.github.pyconcurrent.threading.Event();
        Threading.ExceptHook before = Threading.excepthook();
        Threading.setExcepthook((thread, e) -> {
            seen.add(thread.name() + ": " + e.getMessage());
            reported.set();
        });
        try {
            ex.execute(() -> {
                throw new IllegalStateException("lost?");
            });
            assertTrue(reported.waitFor(LIMIT));
        } finally {
            Threading.setExcepthook(before);
        }
        assertEquals(1, seen.size());
        assertTrue(seen.get(0).endsWith("_0: lost?"), seen.toString());
    }

    /** CompletableFuture.supplyAsync runs on the executor's workers. */
    @Test
    void supplyAsyncRunsOnTheWorkers() {
        ThreadPoolExecutor ex = (ThreadPoolExecutor) track(ThreadPoolExecutor.builder().maxWorkers(1).threadNamePrefix("async").build());
        assertEquals("async_0", CompletableFuture.supplyAsync(() -> Thread.currentThread().getName(), ex).join());
    }

    /** A negative maxWorkers is refused, as Python's ValueError. */
    @Test
    void negativeMaxWorkersIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ThreadPoolExecutor(-1));
    }

    /** shutdownNow interrupts a running task, which fails its future; the executor terminates with no thread left. */
    @Test
    void shutdownNowInterruptsRunningTasks() throws Exception {
        ThreadPoolExecutor ex = (ThreadPoolExecutor) executor(1);
        Future<Integer> running = occupy(ex);
        ex.shutdownNow();
        assertTrue(ex.awaitTermination(LIMIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        assertInstanceOf(io.github.pyconcurrent.threading.UncheckedInterruptedException.class, running.exception(Duration.ZERO));
        assertEquals(List.of(), ex.workers());
    }

    private AbstractExecutor track(AbstractExecutor e) {
        return trackExecutor(e);
    }
}
