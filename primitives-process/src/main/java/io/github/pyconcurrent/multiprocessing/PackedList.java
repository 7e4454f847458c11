package io.github.pyconcurrent.multiprocessing;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The lists a pool's map chunks travel in, both ways. In this JVM a plain {@link ArrayList}; on
 * the wire, when every element is an {@link Integer}, a {@link Long} or a {@link Double}, one
 * primitive array instead of an object per element (Java serialization of boxed numbers costs
 * tens of bytes and a class lookup each; an array is one bulk copy). Any other content travels
 * as an ordinary list. What arrives is a plain {@link ArrayList}. {@link Serial} writes a packed
 * one without a Java stream at all ({@link Serial#PACKED}); the serial form below is for other
 * transports (the cluster's pool).
 */
final class PackedList<E> extends ArrayList<E> {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    PackedList(int capacity) {
        super(capacity);
    }

    PackedList(Collection<? extends E> items) {
        super(items);
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
                    int[] a = new int[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = (Integer) list.get(i);
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
