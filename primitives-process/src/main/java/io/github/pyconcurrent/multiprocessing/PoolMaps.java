package io.github.pyconcurrent.multiprocessing;

import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * What every {@link PoolLike} does the same way on top of its own {@code applyAsync}: Python's
 * {@code Pool.map}/{@code map_async} chunking and the lazy {@code imap}/{@code imap_unordered}
 * (CPython's {@code Pool._map_async}, {@code _get_tasks} and {@code IMapIterator}). {@link Pool}
 * and the cluster's pool both use it, so a change to either lands in one place.
 */
public final class PoolMaps {
    private PoolMaps() {}

    /**
     * Python's default chunk size cuts a map into this many tasks per worker (CPython's
     * {@code Pool._map_async}: {@code divmod(len(iterable), len(self._pool) * 4)}): several per
     * worker, so that a worker that drew a slow chunk does not hold up the end of the map while the
     * others idle, and few enough that each task's round trip stays small beside its work.
     */
    static final int CHUNKS_PER_WORKER = 4;

    /**
     * How many tasks a lazy map ({@code imap}) keeps submitted ahead of its consumer, per worker:
     * enough that every worker has its next task queued when it answers, and a bound so that a
     * long or endless input is read only that far ahead of what was consumed (CPython's
     * {@code imap} has no bound: its task thread reads the whole input).
     */
    static final int LAZY_AHEAD_PER_WORKER = 4;

    /**
     * Python's default chunk size: the items over four times the workers, rounded up (at least 1).
     *
     * @param items how many items the map has
     * @param workers how many workers share them (less than 1 counts as 1)
     * @return the chunk size, at least 1
     */
    public static int defaultChunksize(int items, int workers) {
        int per = Math.max(1, workers) * CHUNKS_PER_WORKER;
        return Math.max(1, (items + per - 1) / per);
    }

    /**
     * A map task: {@code fn} over a slice of the input; the result travels as a {@link PackedList}.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param fn the function to apply
     * @param items the slice of the input this task carries (copied)
     * @return a task that applies {@code fn} to each of {@code items}, in order
     */
    public static <T, R> SerializableCallable<List<R>> chunk(SerializableFunction<T, R> fn, List<T> items) {
        return new Chunk<>(fn, new PackedList<>(items));
    }

    /**
     * A map task; {@link Serial} writes it without a Java stream ({@link Serial#CHUNK}).
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param fn the function to apply
     * @param items this task's slice of the input
     */
    record Chunk<T, R>(SerializableFunction<T, R> fn, List<T> items) implements SerializableCallable<List<R>> {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        @Override
        public List<R> call() {
            PackedList<R> out = new PackedList<>(items.size());
            for (T item : items) {
                out.add(fn.apply(item));
            }
            return out;
        }
    }

    /**
     * {@code map_async}: splits {@code iterable} into chunks of {@code chunksize} (0 or less: the
     * {@linkplain #defaultChunksize default} for {@code workers}), submits each with
     * {@code submit}, and completes with the results in the input's order; the first failing chunk
     * fails the whole map with that chunk's exception. A map whose results are all Integers
     * returns them as a {@link PackedList} (one {@code int[]}, no box per element until read).
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param submit the pool's {@code applyAsync}: submits one task
     * @param fn the function to apply to each item
     * @param iterable the items, read entirely before the first task is submitted
     * @param chunksize how many items each task carries; 0 or less: {@link #defaultChunksize}
     * @param workers how many workers the pool has (for the default chunk size)
     * @return the pending list of results, in the input's order
     */
    public static <T, R> AsyncResult<List<R>> mapAsync(Function<SerializableCallable<List<R>>, AsyncResult<List<R>>> submit,
            SerializableFunction<T, R> fn, Iterable<T> iterable, int chunksize, int workers) {
        List<T> items;
        if (iterable instanceof java.util.Collection<T> c) {
            items = new ArrayList<>(c);   // one copy of the references, not an add and a regrowth each
        } else {
            items = new ArrayList<>();
            iterable.forEach(items::add);
        }
        int n = items.size();
        int size = chunksize > 0 ? chunksize : defaultChunksize(n, workers);
        int chunks = n == 0 ? 0 : (n + size - 1) / size;
        CompletableFuture<List<R>> all = new CompletableFuture<>();
        if (chunks == 0) {
            all.complete(new ArrayList<>());
            return AsyncResult.of(all);
        }
        @SuppressWarnings("unchecked")
        List<R>[] parts = new List[chunks];
        AtomicInteger left = new AtomicInteger(chunks);
        for (int c = 0; c < chunks; c++) {
            int index = c;
            SerializableCallable<List<R>> task = chunk(fn, items.subList(c * size, Math.min(n, (c + 1) * size)));
            submit.apply(task).toCompletableFuture().whenComplete((list, error) -> {
                if (error != null) {
                    all.completeExceptionally(error instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : error);
                } else {
                    parts[index] = list;
                    if (left.decrementAndGet() == 0) {
                        all.complete(PackedList.concat(Arrays.asList(parts), n));
                    }
                }
            });
        }
        return AsyncResult.of(all);
    }

    /**
     * {@code imap} ({@code ordered}) or {@code imap_unordered}: a lazy iterator that submits chunks
     * of {@code chunksize} with {@code submit} as its results are consumed, at most four per
     * worker ahead, so the input may be long or endless. A failed chunk throws its
     * {@link CompletionException} from {@code hasNext()}/{@code next()}.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param submit the pool's {@code applyAsync}: submits one task
     * @param fn the function to apply to each item
     * @param iterable the items, read as the results are consumed
     * @param chunksize how many items each task carries; less than 1 counts as 1
     * @param ordered true for {@code imap} (the input's order), false for {@code imap_unordered}
     *     (completion order)
     * @param workers how many workers the pool has (for how many tasks run ahead)
     * @return the lazy iterator over the results
     */
    public static <T, R> Iterator<R> lazyMap(Function<SerializableCallable<List<R>>, AsyncResult<List<R>>> submit,
            SerializableFunction<T, R> fn, Iterable<T> iterable, int chunksize, boolean ordered, int workers) {
        return new LazyMap<>(submit, fn, iterable.iterator(), Math.max(1, chunksize), ordered,
                Math.max(LAZY_AHEAD_PER_WORKER, workers * LAZY_AHEAD_PER_WORKER));
    }

    private static final class LazyMap<T, R> implements Iterator<R> {
        private final Function<SerializableCallable<List<R>>, AsyncResult<List<R>>> submit;
        private final SerializableFunction<T, R> fn;
        private final Iterator<T> source;
        private final int chunksize;
        private final boolean ordered;
        private final int ahead;
        private final ArrayDeque<AsyncResult<List<R>>> submitted = new ArrayDeque<>();
        private final LinkedBlockingQueue<CompletableFuture<List<R>>> completed = new LinkedBlockingQueue<>();
        private int inFlight;
        private Iterator<R> current = Collections.emptyIterator();

        LazyMap(Function<SerializableCallable<List<R>>, AsyncResult<List<R>>> submit, SerializableFunction<T, R> fn,
                Iterator<T> source, int chunksize, boolean ordered, int ahead) {
            this.submit = submit;
            this.fn = fn;
            this.source = source;
            this.chunksize = chunksize;
            this.ordered = ordered;
            this.ahead = ahead;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext()) {
                fill();
                if (inFlight == 0) {
                    return false;
                }
                List<R> next;
                if (ordered) {
                    next = submitted.poll().get();
                } else {
                    try {
                        next = AsyncResult.of(completed.take()).get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new UncheckedInterruptedException(e);
                    }
                }
                inFlight--;
                current = next.iterator();
            }
            return true;
        }

        @Override
        public R next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }

        private void fill() {
            while (inFlight < ahead && source.hasNext()) {
                List<T> items = new ArrayList<>(chunksize);
                while (items.size() < chunksize && source.hasNext()) {
                    items.add(source.next());
                }
                AsyncResult<List<R>> r = submit.apply(chunk(fn, items));
                if (ordered) {
                    submitted.add(r);
                } else {
                    CompletableFuture<List<R>> f = r.toCompletableFuture();
                    f.whenComplete((v, t) -> completed.add(f));
                }
                inFlight++;
            }
        }
    }
}
