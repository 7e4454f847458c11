package io.github.pyconcurrent.futures;

import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Python's module functions {@code concurrent.futures.wait} and {@code as_completed}, over any
 * {@link Future}s (of one executor or of several, of threads, processes or the cluster).
 *
 * <pre>{@code
 * for (Iterator<Future<Integer>> it = Futures.asCompleted(futures); it.hasNext(); ) {
 *     System.out.println(it.next().result());          // in the order they finish
 * }
 * DoneAndNotDone<Future<Integer>> r = Futures.waitFor(futures, Duration.ofSeconds(5), ReturnWhen.FIRST_EXCEPTION);
 * }</pre>
 *
 * <p>As in Python, the same future given twice counts once, and a timeout is counted from the call.
 * Neither function cancels anything: a future still running when they return goes on.
 */
public final class Futures {
    private Futures() {}

    /**
     * Waits until every future is done: Python's {@code wait(fs)}.
     *
     * @param <F> the type of the futures
     * @param fs the futures to wait for
     * @return every future of {@code fs} in {@code done}, and none in {@code notDone}
     * @throws UncheckedInterruptedException if the calling thread is interrupted while it waits
     */
    public static <F extends Future<?>> DoneAndNotDone<F> waitFor(Collection<F> fs) {
        return waitFor(fs, null, ReturnWhen.ALL_COMPLETED);
    }

    /**
     * Python's {@code wait(fs, timeout, return_when)}: waits at most {@code timeout} ({@code null}:
     * for ever) until {@code returnWhen} holds, and returns the futures done by then and the
     * others. Returns at once if it already holds; a timeout is not an error.
     *
     * @param <F> the type of the futures
     * @param fs the futures to wait for
     * @param timeout how long to wait at most; {@code null} waits for ever
     * @param returnWhen when to return: the first done, the first failed, or all done
     * @return the futures done when the wait returned, and the others
     * @throws UncheckedInterruptedException if the calling thread is interrupted while it waits
     */
    public static <F extends Future<?>> DoneAndNotDone<F> waitFor(Collection<F> fs, Duration timeout, ReturnWhen returnWhen) {
        Set<F> all = new LinkedHashSet<>(fs);
        Waiter waiter = new Waiter(all.size(), returnWhen);
        for (F f : all) {
            f.whenComplete((v, e) -> waiter.completed(e != null && !f.isCancelled()));
        }
        waiter.await(timeout == null ? Long.MAX_VALUE : Math.max(0, timeout.toNanos()));
        Set<F> done = new LinkedHashSet<>();
        Set<F> notDone = new LinkedHashSet<>();
        for (F f : all) {
            (f.isDone() ? done : notDone).add(f);
        }
        return new DoneAndNotDone<>(done, notDone);
    }

    /** Counts completions until {@link ReturnWhen} holds. */
    private static final class Waiter {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition satisfied = lock.newCondition();
        private final ReturnWhen when;
        private int left;
        private boolean failed;
        private boolean completedAny;

        Waiter(int count, ReturnWhen when) {
            this.left = count;
            this.when = when;
        }

        void completed(boolean exceptionally) {
            lock.lock();
            try {
                left--;
                completedAny = true;
                failed |= exceptionally;
                if (holds()) {
                    satisfied.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        /** Python's rules: with nothing to wait for, every condition holds. */
        private boolean holds() {
            return switch (when) {
                case ALL_COMPLETED -> left <= 0;
                case FIRST_EXCEPTION -> failed || left <= 0;
                case FIRST_COMPLETED -> left <= 0 || completedAny;
            };
        }

        /** Waits until the condition holds or {@code nanos} passed ({@code Long.MAX_VALUE}: for ever). */
        void await(long nanos) {
            lock.lock();
            try {
                while (!holds()) {
                    if (nanos == Long.MAX_VALUE) {
                        satisfied.await();
                    } else if (nanos <= 0) {
                        return;
                    } else {
                        nanos = satisfied.awaitNanos(nanos);
                    }
                }
            } catch (InterruptedException e) {
                throw UncheckedInterruptedException.restore(e);
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * As {@link #asCompleted(Collection, Duration)}, without a timeout.
     *
     * @param <T> the type of the futures' values
     * @param fs the futures
     * @return an iterator over {@code fs} in the order they complete
     */
    public static <T> Iterator<Future<T>> asCompleted(Collection<? extends Future<T>> fs) {
        return asCompleted(fs, null);
    }

    /**
     * Python's {@code as_completed(fs, timeout)}: an iterator over the futures in the order they
     * complete, those already done first (in the order given). {@code next()} throws
     * {@link TimeoutError} when the next one is not done by {@code timeout} after this call
     * ({@code null}: waits for ever); {@code hasNext()} never blocks.
     *
     * @param <T> the type of the futures' values
     * @param fs the futures
     * @param timeout how long after this call the last may take; {@code null} waits for ever
     * @return an iterator over {@code fs} in the order they complete
     */
    public static <T> Iterator<Future<T>> asCompleted(Collection<? extends Future<T>> fs, Duration timeout) {
        long deadline = timeout == null ? 0 : System.nanoTime() + Math.max(0, timeout.toNanos());
        Set<Future<T>> all = new LinkedHashSet<>(fs);
        ArrayDeque<Future<T>> finished = new ArrayDeque<>();
        LinkedBlockingQueue<Future<T>> completions = new LinkedBlockingQueue<>();
        int pending = 0;
        for (Future<T> f : all) {
            if (f.isDone()) {
                finished.add(f);
            } else {
                pending++;
                // Runs at once if f completed since the check: every pending future arrives once.
                f.whenComplete((v, e) -> completions.add(f));
            }
        }
        return new CompletionOrder<>(finished, completions, pending, all.size(), timeout == null ? null : deadline);
    }

    private static final class CompletionOrder<T> implements Iterator<Future<T>> {
        private final ArrayDeque<Future<T>> finished;
        private final LinkedBlockingQueue<Future<T>> completions;
        private final int total;
        private final Long deadline;
        private int pending;

        CompletionOrder(ArrayDeque<Future<T>> finished, LinkedBlockingQueue<Future<T>> completions, int pending,
                        int total, Long deadline) {
            this.finished = finished;
            this.completions = completions;
            this.pending = pending;
            this.total = total;
            this.deadline = deadline;
        }

        @Override
        public boolean hasNext() {
            return !finished.isEmpty() || pending > 0;
        }

        @Override
        public Future<T> next() {
            if (!finished.isEmpty()) {
                return finished.poll();
            }
            if (pending == 0) {
                throw new NoSuchElementException();
            }
            Future<T> f;
            try {
                f = deadline == null ? completions.take()
                        : completions.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                throw UncheckedInterruptedException.restore(e);
            }
            if (f == null) {
                throw new TimeoutError(pending + " (of " + total + ") futures unfinished");
            }
            pending--;
            return f;
        }
    }
}
