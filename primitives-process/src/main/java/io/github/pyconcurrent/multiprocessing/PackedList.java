package io.github.pyconcurrent.multiprocessing;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The lists a pool's map chunks travel in, both ways, and what a {@code map} over ints returns.
 * While every element is an {@link Integer} it keeps them as one {@code int[]} (an
 * {@code ArrayList} of the same holds a 16-byte box per element, and a chunk was boxed and
 * unboxed on each of its four trips: the parent's and the worker's reads, profiled as most of a
 * {@code map}'s CPU); an element of any other class, or {@code null}, turns it into an ordinary
 * list of objects for good. A full, mutable {@link List} either way; an element read back is
 * boxed then. On the wire, when every element is an {@link Integer}, a {@link Long} or a
 * {@link Double}, one primitive array instead of an object per element (Java serialization of
 * boxed numbers costs tens of bytes and a class lookup each). {@link Serial} writes a packed one
 * without a Java stream at all ({@link Serial#PACKED}) and reads ints back as a PackedList; the
 * serial form below, for other transports (the cluster's pool), reads back as a plain
 * {@link ArrayList}.
 *
 * @param <E> the type of the elements
 */
final class PackedList<E> extends AbstractList<E> implements RandomAccess, Serializable {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    private static final int[] NO_INTS = new int[0];

    /** The elements while every one is an Integer; null once {@link #objects} holds them. */
    private transient int[] ints;
    private transient int intCount;
    /** The elements once one is not an Integer. */
    private transient ArrayList<E> objects;

    PackedList(int capacity) {
        ints = capacity == 0 ? NO_INTS : new int[capacity];
    }

    PackedList(Collection<? extends E> items) {
        int[] a = new int[items.size()];
        int n = 0;
        for (E e : items) {
            if (!(e instanceof Integer v) || n == a.length) {
                objects = new ArrayList<>(items);
                return;
            }
            a[n++] = v;
        }
        ints = a;
        intCount = n;
    }

    private PackedList(int[] ints, int count) {
        this.ints = ints;
        this.intCount = count;
    }

    /** A list of the first {@code count} of {@code ints}, which it keeps (no copy). */
    static PackedList<Integer> ofInts(int[] ints, int count) {
        return new PackedList<>(ints, count);
    }

    /** The elements as ints (the first {@link #size()} of the array, not a copy), or null if one is not an Integer. */
    int[] intsOrNull() {
        return ints;
    }

    /**
     * {@code parts} one after the other: a PackedList of ints if every part is one (one copy of
     * the numbers, no boxes), else an {@link ArrayList}.
     */
    static <E> List<E> concat(List<? extends List<E>> parts, int total) {
        boolean allInts = true;
        for (List<E> p : parts) {
            allInts &= p instanceof PackedList<E> packed && packed.ints != null;
        }
        if (allInts) {
            int[] a = new int[total];
            int at = 0;
            for (List<E> p : parts) {
                PackedList<E> packed = (PackedList<E>) p;
                System.arraycopy(packed.ints, 0, a, at, packed.intCount);
                at += packed.intCount;
            }
            return new PackedList<>(a, at);
        }
        List<E> out = new ArrayList<>(total);
        for (List<E> p : parts) {
            out.addAll(p);
        }
        return out;
    }

    @Override
    public int size() {
        return ints != null ? intCount : objects.size();
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        if (ints != null) {
            Objects.checkIndex(index, intCount);
            return (E) Integer.valueOf(ints[index]);
        }
        return objects.get(index);
    }

    @Override
    public boolean add(E e) {
        if (ints != null && e instanceof Integer v) {
            if (intCount == ints.length) {
                ints = Arrays.copyOf(ints, Math.max(8, intCount + (intCount >> 1) + 1));
            }
            ints[intCount++] = v;
            modCount++;
            return true;
        }
        modCount++;
        return objects().add(e);
    }

    @Override
    @SuppressWarnings("unchecked")
    public E set(int index, E element) {
        if (ints != null && element instanceof Integer v) {
            Objects.checkIndex(index, intCount);
            int old = ints[index];
            ints[index] = v;
            return (E) Integer.valueOf(old);
        }
        return objects().set(index, element);
    }

    @Override
    public void add(int index, E element) {
        modCount++;
        objects().add(index, element);
    }

    @Override
    public E remove(int index) {
        modCount++;
        return objects().remove(index);
    }

    @Override
    public void clear() {
        modCount++;
        ints = NO_INTS;
        intCount = 0;
        objects = null;
    }

    /** The elements as objects, from now on (the packed ints are boxed once). */
    private ArrayList<E> objects() {
        if (ints != null) {
            ArrayList<E> list = new ArrayList<>(Math.max(10, intCount + 1));
            for (int i = 0; i < intCount; i++) {
                @SuppressWarnings("unchecked")
                E boxed = (E) Integer.valueOf(ints[i]);
                list.add(boxed);
            }
            objects = list;
            ints = null;
        }
        return objects;
    }

    static final byte OBJECTS = 0;
    static final byte INTS = 1;
    static final byte LONGS = 2;
    static final byte DOUBLES = 3;

    /** What {@code list} holds: {@link #INTS}, {@link #LONGS} or {@link #DOUBLES} if every element is of that class, else {@link #OBJECTS}. */
    static byte kindOf(List<?> list) {
        if (list.isEmpty()) {
            return OBJECTS;
        }
        if (list instanceof PackedList<?> p && p.ints != null) {
            return INTS;
        }
        Class<?> first = list.getFirst() == null ? null : list.getFirst().getClass();
        byte kind = first == Integer.class ? INTS : first == Long.class ? LONGS : first == Double.class ? DOUBLES : OBJECTS;
        if (kind != OBJECTS) {
            for (Object o : list) {
                if (o == null || o.getClass() != first) {
                    return OBJECTS;
                }
            }
        }
        return kind;
    }

    @java.io.Serial
    private Object writeReplace() {
        return new Form(this);
    }

    /** The serial form; reads back as an ArrayList. */
    private static final class Form implements Serializable {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        private transient List<?> list;

        Form(List<?> list) {
            this.list = list;
        }

        @java.io.Serial
        private void writeObject(ObjectOutputStream out) throws IOException {
            byte kind = kindOf(list);
            out.writeByte(kind);
            int n = list.size();
            switch (kind) {
                case INTS -> {
                    int[] a;
                    if (list instanceof PackedList<?> p && p.ints != null) {
                        a = Arrays.copyOf(p.ints, n);
                    } else {
                        a = new int[n];
                        for (int i = 0; i < n; i++) {
                            a[i] = (Integer) list.get(i);
                        }
                    }
                    out.writeObject(a);
                }
                case LONGS -> {
                    long[] a = new long[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = (Long) list.get(i);
                    }
                    out.writeObject(a);
                }
                case DOUBLES -> {
                    double[] a = new double[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = (Double) list.get(i);
                    }
                    out.writeObject(a);
                }
                default -> out.writeObject(new ArrayList<>(list));
            }
        }

        @java.io.Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            byte kind = in.readByte();
            Object payload = in.readObject();
            ArrayList<Object> out;
            switch (kind) {
                case INTS -> {
                    int[] a = (int[]) payload;
                    out = new ArrayList<>(a.length);
                    for (int v : a) {
                        out.add(v);
                    }
                }
                case LONGS -> {
                    long[] a = (long[]) payload;
                    out = new ArrayList<>(a.length);
                    for (long v : a) {
                        out.add(v);
                    }
                }
                case DOUBLES -> {
                    double[] a = (double[]) payload;
                    out = new ArrayList<>(a.length);
                    for (double v : a) {
                        out.add(v);
                    }
                }
                default -> {
                    @SuppressWarnings("unchecked")
                    ArrayList<Object> list = (ArrayList<Object>) payload;
                    out = list;
                }
            }
            list = out;
        }

        @java.io.Serial
        private Object readResolve() {
            return list;
        }
    }
}
