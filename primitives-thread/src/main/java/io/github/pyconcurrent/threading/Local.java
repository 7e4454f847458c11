package io.github.pyconcurrent.threading;

import java.util.function.Supplier;

/**
 * A value with one instance per thread: Python's {@code threading.local()}.
 *
 * <p>Each thread sees its own value: what one thread {@link #set(Object) sets} is invisible to the
 * others. A thread that has not set a value gets the initial value of {@link #withInitial}
 * (computed once per thread), or {@code null}.
 *
 * <pre>{@code
 * Local<Connection> conn = Local.withInitial(Database::connect);   // one connection per thread
 * conn.get().query(...);
 * }</pre>
 *
 * <p>Backed by a {@link ThreadLocal}: a thread's value is released when the thread ends or calls
 * {@link #remove()}; when a {@link Thread} ends on a platform thread kept for reuse, its values
 * are removed then.
 *
 * <p><b>Differences from Python:</b> Python's {@code local} is an object with arbitrary attributes;
 * here it holds one value of type {@code T} (use a record or a map for several). Reading an unset
 * value gives {@code null} rather than {@code AttributeError}.
 *
 * @param <T> the type of the value
 */
public class Local<T> {
    private final ThreadLocal<T> values;

    /** A per-thread value, initially {@code null} in every thread. */
    public Local() {
        this(() -> null);
    }

    private Local(Supplier<? extends T> initial) {
        // A reused platform thread (ThreadReuse) forgets the values its last Thread had: each
        // value's first appearance on a thread is recorded there.
        this.values = new ThreadLocal<>() {
            @Override
            protected T initialValue() {
                ThreadReuse.touched(Local.this);
                return initial.get();
            }
        };
    }

    /**
     * A per-thread value whose initial value in each thread is {@code initial.get()}, computed on first access.
     *
     * @param <T> the type of the value
     * @param initial what gives each thread its first value
     * @return a new per-thread value
     * @throws NullPointerException if {@code initial} is null
     */
    public static <T> Local<T> withInitial(Supplier<? extends T> initial) {
        if (initial == null) {
            throw new NullPointerException("initial");
        }
        return new Local<>(initial);
    }

    /**
     * The calling thread's value.
     *
     * @return the calling thread's value: what it set, else its initial value, else {@code null}
     */
    public T get() {
        return values.get();
    }

    /**
     * Sets the calling thread's value.
     *
     * @param value the calling thread's new value (may be null)
     */
    public void set(T value) {
        ThreadReuse.touched(this);
        values.set(value);
    }

    /** Forgets the calling thread's value (Python's {@code del local.x}); the next {@link #get()} starts afresh. */
    public void remove() {
        values.remove();
    }
}
