package io.github.pyconcurrent.threading.suites;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Helpers for "this call blocks" checks without sleeping until something is ready: an
 * {@link Async} call in a fresh daemon thread, asserted still unfinished after a short grace
 * period and then awaited (with a generous timeout) once the test unblocks it.
 *
 * <p>Whether a call is blocked is judged by completion, not by {@code Thread.State}: a thread
 * blocked in a futex system call (the process-shared primitives) shows {@code RUNNABLE}.
 * {@link #awaitParked} uses the thread state only as a best-effort hint to make a test's
 * interleaving likely, bounded by {@link #GRACE}.
 */
public final class Blocking {
    /** How long a blocked call must stay blocked to pass a negative check; also a "short" timeout. */
    public static final Duration GRACE = Duration.ofMillis(100);
    /** Every positive wait in a test is bounded by this; far beyond any correct run. */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Blocking() {}

    /** A call running in its own daemon thread. */
    public static final class Async<T> {
        private final CompletableFuture<T> future = new CompletableFuture<>();
        private final java.lang.Thread thread;

        Async(java.util.concurrent.Callable<T> call) {
            thread = new java.lang.Thread(() -> {
                try {
                    future.complete(call.call());
                } catch (Throwable e) {
                    future.completeExceptionally(e);
                }
            }, "async");
            thread.setDaemon(true);
            thread.start();
        }

        public java.lang.Thread thread() {
            return thread;
        }

        public boolean isDone() {
            return future.isDone();
        }

        /** Asserts the call has not finished after {@link #GRACE}. */
        public Async<T> assertBlocked() {
            try {
                T value = future.get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
                fail("expected the call to block, but it returned " + value);
            } catch (TimeoutException expected) {
                // still blocked: good
            } catch (ExecutionException e) {
                fail("expected the call to block, but it threw " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                java.lang.Thread.currentThread().interrupt();
                fail("interrupted", e);
            }
            assertFalse(future.isDone());
            return this;
        }

        /** Waits (at most {@link #TIMEOUT}) for the result; rethrows the call's exception. */
        public T get() {
            try {
                return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                thread.interrupt();
                throw new AssertionError("call did not finish within " + TIMEOUT, e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new AssertionError(cause);
            } catch (InterruptedException e) {
                java.lang.Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        /** Waits (at most {@link #TIMEOUT}) for the call to fail; returns its exception. */
        public Throwable failure() {
            T value;
            try {
                value = future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                return e.getCause();
            } catch (TimeoutException e) {
                thread.interrupt();
                throw new AssertionError("call did not finish within " + TIMEOUT, e);
            } catch (InterruptedException e) {
                java.lang.Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            throw new AssertionError("expected the call to throw, but it returned " + value);
        }

        /** Best effort: waits until the call's thread is parked (see {@link Blocking#awaitParked}). */
        public Async<T> awaitParked() {
            Blocking.awaitParked(thread);
            return this;
        }
    }

    /** Runs {@code call} in a new daemon thread. */
    public static <T> Async<T> async(java.util.concurrent.Callable<T> call) {
        return new Async<>(call);
    }

    /** Runs {@code action} in a new daemon thread. */
    public static Async<Void> async(Runnable action) {
        return new Async<>(() -> {
            action.run();
            return null;
        });
    }

    /**
     * Best effort, bounded: waits until {@code t} is parked ({@code WAITING} or
     * {@code TIMED_WAITING}) or finished, or {@link #GRACE} has passed — whichever comes first.
     * For the in-JVM primitives a parked state means the thread is inside the blocking call; a
     * thread blocked in a futex stays {@code RUNNABLE}, so for those the grace period is all this
     * gives. Tests must not depend on it for correctness, only to make an interleaving likely.
     */
    public static void awaitParked(java.lang.Thread t) {
        long deadline = System.nanoTime() + GRACE.toNanos();
        while (System.nanoTime() - deadline < 0) {
            java.lang.Thread.State s = t.getState();
            if (s == java.lang.Thread.State.WAITING || s == java.lang.Thread.State.TIMED_WAITING
                    || s == java.lang.Thread.State.TERMINATED) {
                return;
            }
            LockSupport.parkNanos(200_000L);
        }
    }

    /**
     * A bounded negative check: asserts {@code condition} stays true throughout {@link #GRACE}
     * (for example "no other waiter woke up").
     */
    public static void assertStays(BooleanSupplier condition, String description) {
        long deadline = System.nanoTime() + GRACE.toNanos();
        do {
            if (!condition.getAsBoolean()) {
                fail("no longer true: " + description);
            }
            LockSupport.parkNanos(1_000_000L);
        } while (System.nanoTime() - deadline < 0);
    }

    /** Polls {@code condition} until true; fails after {@link #TIMEOUT}. */
    public static void awaitCondition(BooleanSupplier condition, String description) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("condition not reached within " + TIMEOUT + ": " + description);
            }
            LockSupport.parkNanos(500_000L);
        }
    }
}
