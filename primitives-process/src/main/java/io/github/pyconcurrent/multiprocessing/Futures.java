package io.github.pyconcurrent.multiprocessing;

import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting on a {@link CompletableFuture} the way this API waits: no checked
 * {@link InterruptedException} (the flag is restored and {@link UncheckedInterruptedException}
 * thrown), a negative timeout is no wait, and {@code null} is for ever.
 */
final class Futures {
    private Futures() {}

    /** The future's value; its failure as {@link ExecutionException}; {@link TimeoutException} when {@code timeout} elapsed. */
    static <T> T await(CompletableFuture<T> future, Duration timeout) throws ExecutionException, TimeoutException {
        try {
            return timeout == null ? future.get() : future.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedInterruptedException(e);
        }
    }

    /** Whether the future completed, either way, within {@code timeout} ({@code null}: waits for ever). */
    static boolean awaitDone(CompletableFuture<?> future, Duration timeout) {
        try {
            await(future, timeout);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            return true;
        }
    }
}
