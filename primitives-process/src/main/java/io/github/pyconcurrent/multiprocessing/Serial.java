package io.github.pyconcurrent.multiprocessing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;

/**
 * The one way this module turns objects into bytes and back: Java serialization, read through an
 * {@link ObjectInputFilter}. Tasks, results, exceptions, {@link Queue} items and {@link Connection}
 * messages all pass here.
 *
 * <p>Where the bytes come from: only from processes of ours. Tasks and results cross a Unix socket
 * in a 0700 directory after an HMAC challenge with the parent's random authkey; queue and pipe
 * items cross {@code /dev/shm} files of mode 0600. The filter is defence in depth, and it bounds
 * what a malformed stream can cost: graph depth, references, array lengths and stream size
 * ({@link #LIMITS}). It admits any class otherwise, because a task's lambda captures the user's
 * own types; a stricter pattern can be added with the system property
 * {@value #FILTER_PROPERTY} (JDK filter syntax, e.g. {@code "com.example.*;java.base/*;!*"}),
 * read once per JVM and passed on to the children.
 */
final class Serial {
    /** Extra filter pattern, applied after the limits; children get the same value. */
    static final String FILTER_PROPERTY = "pyconcurrent.serial.filter";
    /** Bounds on what one deserialization may cost. */
    static final String LIMITS = "maxdepth=200;maxrefs=10000000;maxarray=268435456;maxbytes=2147483647";

    private static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(
            LIMITS + ";" + System.getProperty(FILTER_PROPERTY, ""));

    private Serial() {}

    /** Serializes {@code object}; {@link UncheckedIOException} naming the class if it cannot be. */
    static byte[] toBytes(Object object) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        } catch (NotSerializableException e) {
            throw new UncheckedIOException("cannot send a " + (object == null ? "null" : object.getClass().getName())
                    + " to another process: " + e.getMessage() + " is not Serializable", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize a " + (object == null ? "null" : object.getClass().getName()), e);
        }
        return bytes.toByteArray();
    }

    /** Deserializes through the filter; a class missing here is a {@link ClassNotFoundException}. */
    static Object fromBytes(byte[] bytes) throws ClassNotFoundException {
        return fromBytes(bytes, 0, bytes.length);
    }

    static Object fromBytes(byte[] bytes, int offset, int length) throws ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes, offset, length))) {
            in.setObjectInputFilter(FILTER);
            return in.readObject();
        } catch (InvalidClassException e) {
            throw new IllegalStateException("data from another process was rejected by the serial filter ("
                    + LIMITS + ", " + FILTER_PROPERTY + "=" + System.getProperty(FILTER_PROPERTY, "") + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot deserialize data from another process", e);
        }
    }

    /** As {@link #fromBytes(byte[])}, for data whose classes must be here (the parent's own). */
    @SuppressWarnings("unchecked")
    static <T> T read(byte[] bytes) {
        try {
            return (T) fromBytes(bytes);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("a class sent by another process is not on this JVM's class path: "
                    + e.getMessage(), e);
        }
    }
}
