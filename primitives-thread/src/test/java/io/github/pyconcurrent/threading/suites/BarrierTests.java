package io.github.pyconcurrent.threading.suites;

import static io.github.pyconcurrent.threading.suites.Blocking.async;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.threading.BarrierLike;
import io.github.pyconcurrent.threading.BrokenBarrierError;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CPython lock_tests' {@code BarrierTests}. Concrete subclasses supply
 * {@link #newBarrier(int, Runnable, Duration)}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class BarrierTests {

    /** A new barrier for {@code parties}, with an optional action and default timeout. */
    protected abstract BarrierLike newBarrier(int parties, Runnable actionOrNull, Duration timeoutOrNull);

    private static final int N = 4;

    /** Waits until {@code count} parties are waiting in {@code barrier}. */
    private static void awaitWaiting(BarrierLike barrier, int count) {
        Blocking.awaitCondition(() -> barrier.nWaiting() == count, "nWaiting == " + count);
    }

    @Test
    @DisplayName("parties() is the constructor's; nWaiting() is 0 when idle")
    void accessors() {
        BarrierLike b = newBarrier(N, null, null);
        assertEquals(N, b.parties());
        assertEquals(0, b.nWaiting());
        assertFalse(b.isBroken());
    }

    @Test
    @DisplayName("each cycle hands out the arrival indices 0..n-1, once each, over several cycles")
    void indicesPerCycle() {
        BarrierLike b = newBarrier(N, null, null);
        int cycles = 5;
        List<ConcurrentLinkedQueue<Integer>> perCycle = List.of(new ConcurrentLinkedQueue<>(),
                new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>(),
                new ConcurrentLinkedQueue<>());
        try (Bunch bunch = Bunch.start(N, i -> {
            for (int c = 0; c < cycles; c++) {
                perCycle.get(c).add(b.waitFor(Blocking.TIMEOUT));
            }
        })) {
            bunch.awaitFinished();
        }
        for (var indices : perCycle) {
            assertEquals(Set.of(0, 1, 2, 3), new TreeSet<>(indices));
        }
        assertEquals(0, b.nWaiting());
        assertFalse(b.isBroken());
    }

    @Test
    @DisplayName("the action runs exactly once per cycle, after every party arrived and before any is released")
    void actionOncePerCycle() {
        AtomicInteger arrived = new AtomicInteger();
        AtomicInteger actions = new AtomicInteger();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        int cycles = 3;
        BarrierLike[] holder = new BarrierLike[1];
        holder[0] = newBarrier(N, () -> {
            int a = actions.incrementAndGet();
            if (arrived.get() != a * N) {
                problems.add("action " + a + " saw " + arrived.get() + " arrivals");
            }
        }, null);
        AtomicInteger passed = new AtomicInteger();
        try (Bunch bunch = Bunch.start(N, i -> {
            for (int c = 0; c < cycles; c++) {
                arrived.incrementAndGet();
                holder[0].waitFor(Blocking.TIMEOUT);
                if (actions.get() < c + 1) {
                    problems.add("released before the action of cycle " + c);
                }
                passed.incrementAndGet();
            }
        })) {
            bunch.awaitFinished();
        }
        assertEquals(cycles, actions.get());
        assertEquals(cycles * N, passed.get());
        assertTrue(problems.isEmpty(), problems.toString());
    }

    @Test
    @DisplayName("a barrier of one party never blocks and returns index 0")
    void singleParty() {
        BarrierLike b = newBarrier(1, null, null);
        assertEquals(0, b.waitFor());
        assertEquals(0, b.waitFor(Duration.ofMillis(1)));
    }

    @Test
    @DisplayName("abort() breaks the barrier: waiting and later parties get BrokenBarrierError")
    void abortBreaksForEveryone() {
        BarrierLike b = newBarrier(N, null, null);
        List<Throwable> errors;
        try (Bunch bunch = Bunch.start(N - 1, i -> b.waitFor(Blocking.TIMEOUT))) {
            awaitWaiting(b, N - 1);
            b.abort();
            errors = bunch.awaitFinishedCollectingErrors();
        }
        assertEquals(N - 1, errors.size());
        errors.forEach(e -> assertInstanceOf(BrokenBarrierError.class, e));
        assertTrue(b.isBroken());
        assertThrows(BrokenBarrierError.class, b::waitFor);
        assertThrows(BrokenBarrierError.class, () -> b.waitFor(Duration.ofMillis(1)));
    }

    @Test
    @DisplayName("a timed-out wait breaks the barrier for every waiter, the timed-out one included")
    void timeoutBreaks() {
        BarrierLike b = newBarrier(3, null, null);
        var patient = async(() -> b.waitFor(Blocking.TIMEOUT));
        awaitWaiting(b, 1);
        assertThrows(BrokenBarrierError.class, () -> b.waitFor(Duration.ofMillis(50)));
        assertInstanceOf(BrokenBarrierError.class, patient.failure());
        assertTrue(b.isBroken());
    }

    @Test
    @DisplayName("the constructor's timeout is the default for waitFor()")
    void defaultTimeout() {
        BarrierLike b = newBarrier(2, null, Duration.ofMillis(50));
        assertThrows(BrokenBarrierError.class, b::waitFor);
        assertTrue(b.isBroken());
    }

    @Test
    @DisplayName("reset() makes current waiters throw BrokenBarrierError and leaves the barrier usable")
    void resetWhileWaiting() {
        BarrierLike b = newBarrier(N, null, null);
        List<Throwable> errors;
        try (Bunch bunch = Bunch.start(N - 1, i -> b.waitFor(Blocking.TIMEOUT))) {
            awaitWaiting(b, N - 1);
            b.reset();
            errors = bunch.awaitFinishedCollectingErrors();
        }
        assertEquals(N - 1, errors.size());
        errors.forEach(e -> assertInstanceOf(BrokenBarrierError.class, e));
        assertFalse(b.isBroken());
        assertFullCycle(b);
    }

    @Test
    @DisplayName("reset() after abort() repairs the barrier")
    void resetAfterAbort() {
        BarrierLike b = newBarrier(N, null, null);
        b.abort();
        assertTrue(b.isBroken());
        b.reset();
        assertFalse(b.isBroken());
        assertFullCycle(b);
    }

    @Test
    @DisplayName("an action that throws breaks the barrier: the last arriver gets the exception, the others BrokenBarrierError")
    void failingAction() {
        BarrierLike b = newBarrier(3, () -> {
            throw new IllegalStateException("action failed");
        }, null);
        List<Throwable> errors;
        try (Bunch bunch = Bunch.start(3, i -> b.waitFor(Blocking.TIMEOUT))) {
            errors = bunch.awaitFinishedCollectingErrors();
        }
        assertEquals(3, errors.size());
        assertEquals(1, errors.stream().filter(e -> e instanceof IllegalStateException).count());
        assertEquals(2, errors.stream().filter(e -> e instanceof BrokenBarrierError).count());
        assertTrue(b.isBroken());
    }

    @Test
    @DisplayName("nWaiting() counts the parties currently waiting")
    void nWaiting() {
        BarrierLike b = newBarrier(3, null, null);
        var first = async(() -> b.waitFor(Blocking.TIMEOUT));
        awaitWaiting(b, 1);
        var second = async(() -> b.waitFor(Blocking.TIMEOUT));
        awaitWaiting(b, 2);
        int mine = b.waitFor(Blocking.TIMEOUT);
        assertEquals(Set.of(0, 1, 2), Set.of(first.get(), second.get(), mine));
        assertEquals(0, b.nWaiting());
    }

    private static void assertFullCycle(BarrierLike b) {
        try (Bunch bunch = Bunch.start(b.parties(), i -> b.waitFor(Blocking.TIMEOUT))) {
            bunch.awaitFinished();
        }
        assertFalse(b.isBroken());
    }
}
