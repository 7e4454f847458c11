package io.github.pyconcurrent.shared;

import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.hash.serialization.BytesReader;
import net.openhft.chronicle.hash.serialization.BytesWriter;
import net.openhft.chronicle.wire.WireIn;
import net.openhft.chronicle.wire.WireOut;

/**
 * The codec for {@link SharedDict} values that Chronicle Map has no native form for: any
 * {@link Serializable} object, written with Java serialization and read back through an
 * {@link ObjectInputFilter}.
 *
 * <p>Where the bytes come from: only from processes of ours, through a Chronicle Map file in
 * /dev/shm that the {@link Manager} creates with mode 0600 (owner read/write only), so only
 * processes of the same user can write them. The filter is defence in depth against a
 * compromised or buggy writer, and is required by the project's rules: by default it allows
 * classes of {@code java.base} and of the value class's own package (and arrays of them), caps
 * depth, references and array lengths, and rejects everything else. A value type whose graph
 * reaches other packages needs {@link DictOptions#serialFilter(String)}.
 *
 * <p>Chronicle persists this codec in the map file's header and re-creates it (without calling a
 * constructor) in every JVM that attaches, so its one piece of state, the filter pattern, is
 * written to and read from the header explicitly.
 */
final class SerializableCodec<V> implements BytesReader<V>, BytesWriter<V> {
    /** Limits applied before any class rule; they bound the work a malformed value can cause. */
    private static final String LIMITS = "maxdepth=64;maxrefs=1000000;maxarray=100000000";

    /** The ObjectInputFilter pattern; set once at construction or when read from the map header. */
    private String filterPattern;
    /** Built lazily from filterPattern (the header read path bypasses constructors). */
    private transient ObjectInputFilter filter;

    SerializableCodec(Class<V> valueClass, String filterPattern) {
        this.filterPattern = filterPattern != null ? filterPattern : defaultPattern(valueClass);
    }

    static String defaultPattern(Class<?> valueClass) {
        Class<?> base = valueClass;
        while (base.isArray()) {
            base = base.getComponentType();
        }
        String pkg = base.getPackageName();
        return LIMITS + ";java.base/*;" + (pkg.isEmpty() ? base.getName() : pkg + ".*") + ";!*";
    }

    String filterPattern() {
        return filterPattern;
    }

    @Override
    public void write(Bytes<?> out, V value) {
        try {
            // not closed: closing would close Chronicle's stream over its own buffer
            ObjectOutputStream oos = new ObjectOutputStream(out.outputStream());
            oos.writeObject(value);
            oos.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize a SharedDict value of " + value.getClass(), e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V read(Bytes<?> in, V using) {
        try {
            ObjectInputStream ois = new ObjectInputStream(in.inputStream());
            ois.setObjectInputFilter(filter());
            return (V) ois.readObject();
        } catch (InvalidClassException e) {
            throw new IllegalStateException("a SharedDict value was rejected by its ObjectInputFilter ("
                    + filterPattern + "); allow its classes with DictOptions.serialFilter(...)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot deserialize a SharedDict value", e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("a SharedDict value's class is not on this JVM's classpath", e);
        }
    }

    private ObjectInputFilter filter() {
        ObjectInputFilter f = filter;
        if (f == null) {
            // benign race: every thread builds an equal filter from the same pattern
            f = ObjectInputFilter.Config.createFilter(filterPattern);
            filter = f;
        }
        return f;
    }

    @Override
    public void readMarshallable(WireIn wire) {
        filterPattern = wire.read("filter").text();
        filter = null;
    }

    @Override
    public void writeMarshallable(WireOut wire) {
        wire.write("filter").text(filterPattern);
    }
}
