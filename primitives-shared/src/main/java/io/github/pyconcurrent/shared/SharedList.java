package io.github.pyconcurrent.shared;

import java.io.Serial;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A list shared by processes (JVMs): Python's {@code Manager().list()}. Every mutation is atomic
 * across all attached processes: the whole list is one entry of a {@link SharedDict}, and each
 * operation is a read-modify-write under that entry's lock.
 *
 * <pre>{@code
 * try (Manager manager = Manager.start()) {
 *     SharedList<Integer> li = manager.list(Integer.class);
 *     li.add(1);                 // Python: li.append(1), from any process
 *     li.pop();                  // atomic read-and-remove of the last element
 * }
 * }</pre>
 *
 * <p>Cost: each operation reads (and a mutation rewrites) the whole list, as Java serialization of
 * its elements: this is for the small lists Python programs share through a manager (where each
 * operation is a round trip to the server process), not for bulk data: use {@link Array} for
 * numbers, or a {@link SharedDict} keyed by index. Reads and iteration work on a snapshot taken
 * at the call. Its capacity in bytes is set by the {@link DictOptions#averageValueSize(double)}
 * given to {@link Manager#list(Class, DictOptions)}.
 *
 * <p>Serializable as a handle, like {@link SharedDict}. Elements must be of the element class
 * given to {@link Manager#list(Class)} (checked on insertion) and Serializable; null is allowed.
 *
 * @param <T> the element type
 */
public final class SharedList<T> extends AbstractList<T> implements RandomAccess, Serializable, AutoCloseable {
    @Serial
    private static final long serialVersionUID = 1L;
    /** The one key of the backing dict. */
    private static final Integer LIST = 0;

    /** The dict that holds the list, under its one key; a deserialized handle shares it. */
    private final SharedDict<Integer, ArrayList<T>> store;
    /** The type of the elements. */
    private final Class<T> elementClass;

    SharedList(SharedDict<Integer, ArrayList<T>> store, Class<T> elementClass) {
        this.store = store;
        this.elementClass = elementClass;
        store.putIfAbsent(LIST, new ArrayList<>());
    }

    /** The Serializable filter pattern for the backing dict: java.base and the element's package. */
    static DictOptions options(Class<?> elementClass, DictOptions base) {
        return base.serialFilter(base.serialFilter() != null ? base.serialFilter()
                : SerializableCodec.defaultPattern(elementClass));
    }

    /**
     * Returns the class of the elements.
     *
     * @return the element class the list was made with
     */
    public Class<T> elementClass() {
        return elementClass;
    }

    private ArrayList<T> snapshot() {
        ArrayList<T> list = store.get(LIST);
        if (list == null) {
            throw new IllegalStateException("SharedList " + store.path() + " has lost its contents");
        }
        return list;
    }

    /** Applies {@code change} to the list atomically (across processes) and returns its result. */
    private <R> R mutate(Function<ArrayList<T>, R> change) {
        Object[] result = new Object[1];
        store.compute(LIST, (k, list) -> {
            ArrayList<T> copy = list == null ? new ArrayList<>() : list;
            result[0] = change.apply(copy);
            return copy;
        });
        @SuppressWarnings("unchecked")
        R r = (R) result[0];
        return r;
    }

    private T check(T element) {
        return element == null ? null : elementClass.cast(element);
    }

    @Override
    public T get(int index) {
        return snapshot().get(index);
    }

    @Override
    public int size() {
        return snapshot().size();
    }

    @Override
    public T set(int index, T element) {
        T e = check(element);
        return mutate(list -> list.set(index, e));
    }

    /** Python's {@code append}. */
    @Override
    public boolean add(T element) {
        T e = check(element);
        return mutate(list -> list.add(e));
    }

    /** Python's {@code insert}. */
    @Override
    public void add(int index, T element) {
        T e = check(element);
        mutate(list -> {
            list.add(index, e);
            return null;
        });
    }

    /** Python's {@code extend}: all elements are added in one atomic step. */
    @Override
    public boolean addAll(Collection<? extends T> elements) {
        List<T> checked = new ArrayList<>(elements.size());
        elements.forEach(e -> checked.add(check(e)));
        return mutate(list -> list.addAll(checked));
    }

    @Override
    public T remove(int index) {
        return mutate(list -> list.remove(index));
    }

    @Override
    public boolean remove(Object element) {
        return mutate(list -> list.remove(element));
    }

    /**
     * Python's {@code pop()}: removes and returns the last element, atomically.
     *
     * @return the element that was last
     * @throws IndexOutOfBoundsException if the list is empty
     */
    public T pop() {
        return mutate(list -> {
            if (list.isEmpty()) {
                throw new IndexOutOfBoundsException("pop from empty list");
            }
            return list.remove(list.size() - 1);
        });
    }

    @Override
    public void clear() {
        mutate(list -> {
            list.clear();
            return null;
        });
    }

    /** Sorts in place, atomically (Python's {@code sort}). */
    @Override
    public void sort(Comparator<? super T> comparator) {
        mutate(list -> {
            list.sort(comparator);
            return null;
        });
    }

    @Override
    public Iterator<T> iterator() {
        return java.util.Collections.unmodifiableList(snapshot()).iterator();
    }

    @Override
    public void forEach(Consumer<? super T> action) {
        Objects.requireNonNull(action);
        snapshot().forEach(action);
    }

    @Override
    public Object[] toArray() {
        return snapshot().toArray();
    }

    @Override
    public int indexOf(Object o) {
        return snapshot().indexOf(o);
    }

    @Override
    public boolean contains(Object o) {
        return snapshot().contains(o);
    }

    /**
     * The file behind this list.
     *
     * @return the path of the file behind the list
     */
    public String path() {
        return store.path();
    }

    /** Detaches this JVM (the file stays until the Manager shuts down). */
    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
