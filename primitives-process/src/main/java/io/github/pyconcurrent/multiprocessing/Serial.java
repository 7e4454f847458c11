package io.github.pyconcurrent.multiprocessing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one way this module turns objects into bytes and back: Java serialization, read through an
 * {@link ObjectInputFilter}. Tasks, results, exceptions, {@link Queue} items and {@link Connection}
 * messages all pass here.
 *
 * <p>Fast paths: {@code null}, the boxed primitives, {@code String}, {@code byte[]} and the other
 * primitive arrays are written as one tag byte and their raw bytes (little-endian), without an
 * {@code ObjectOutputStream}, its stream header and class descriptors: a boxed {@code Integer}
 * costs 5 bytes instead of 81, and tens of nanoseconds instead of microseconds each way. A
 * serializable lambda (a Pool task) is written as its {@code SerializedLambda}'s names and its
 * captured values in this encoding ({@link #LAMBDA}), and read back through its capturing class's
 * {@code $deserializeLambda$}, as Java serialization does, with that method and the class looked
 * up once per JVM: no stream, no class descriptors. A pool's {@code map} chunk travels as its
 * function and its items ({@link #CHUNK}), and a chunk's list of Integers, Longs or Doubles as
 * its raw numbers ({@link #PACKED}), both ways, and a {@link Process} (a child's {@code RUN}) as
 * its fields and its target's message ({@link #PROCESS}). Every
 * other object is tagged {@link #JAVA} and written by a fresh {@code ObjectOutputStream}: a
 * stream (and its class descriptors) is never kept across messages, because a ring has many
 * readers and a reader killed mid-item hands its item to the next one, which must be able to read
 * it alone. The filter judges a fast-path value exactly as it would judge the same value in a Java
 * stream: its class, and its array length ({@link #admit}); without a user's pattern that is the
 * limits alone, checked here, and the JDK's filter is made only for the first Java stream
 * ({@link JdkFilter}).
 *
 * <p>Where the bytes come from: only from processes of ours. Tasks and results cross a Unix socket
 * in a 0700 directory, opened with secrets that only the parent and that child know; queue and pipe
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
    /** The longest array the filter admits (its {@code maxarray}). */
    static final long MAX_ARRAY = 268_435_456;
    /** Bounds on what one deserialization may cost. */
    static final String LIMITS = "maxdepth=200;maxrefs=10000000;maxarray=" + MAX_ARRAY + ";maxbytes=2147483647";
    /** The user's extra pattern ({@value #FILTER_PROPERTY}), empty when none. */
    private static final String PATTERN = System.getProperty(FILTER_PROPERTY, "").trim();

    /**
     * The JDK's filter of {@link #LIMITS} and {@link #PATTERN}, made at its first use: a Java
     * stream, or a fast-path value while a pattern is set. Why not at once: the first filter a JVM
     * makes starts the JDK's logging ({@code ObjectInputFilter.Config}'s logger), which looks for a
     * logging backend over the whole class path, opening every jar of it (-Xlog:class+load of a
     * spawned child: 50-70 ms, reading a 17 MB jar's directory, at load ~10), and a child whose
     * target and messages all take the fast paths needs no filter of the JDK's to judge them.
     */
    private static final class JdkFilter {
        static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(LIMITS + ";" + PATTERN);
    }

    // The first byte of every message: what follows.
    static final byte JAVA = 0;
    static final byte NULL = 1;
    static final byte TRUE = 2;
    static final byte FALSE = 3;
    static final byte INT = 4;
    static final byte LONG = 5;
    static final byte DOUBLE = 6;
    static final byte FLOAT = 7;
    static final byte SHORT = 8;
    static final byte BYTE = 9;
    static final byte CHAR = 10;
    static final byte STRING = 11;
    static final byte BYTES = 12;
    static final byte INTS = 13;
    static final byte LONGS = 14;
    static final byte DOUBLES = 15;
    static final byte FLOATS = 16;
    static final byte SHORTS = 17;
    static final byte CHARS = 18;
    static final byte BOOLEANS = 19;
    static final byte LAMBDA = 20;
    /** A {@link PackedList} of Integers, Longs or Doubles: kind byte, then the raw values. */
    static final byte PACKED = 21;
    /** A map chunk ({@link PoolMaps.Chunk}): its function's message (int length first), then its items'. */
    static final byte CHUNK = 22;
    /**
     * A {@link Process} of that exact class (a subclass may add fields: the Java path): its name,
     * daemon flag and parent's name, then its target's message, so that a child whose target is a
     * lambda reads its {@code RUN} without an {@code ObjectInputStream}.
     */
    static final byte PROCESS = 23;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final VarHandle INT_AT = MethodHandles.byteArrayViewVarHandle(int[].class, ORDER);
    /** The lengths inside a lambda's message, big-endian as DataInputStream reads them. */
    private static final VarHandle BIG_INT_AT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_AT = MethodHandles.byteArrayViewVarHandle(long[].class, ORDER);
    private static final VarHandle SHORT_AT = MethodHandles.byteArrayViewVarHandle(short[].class, ORDER);

    private Serial() {}

    /** Serializes {@code object}; {@link UncheckedIOException} naming the class if it cannot be. */
    static byte[] toBytes(Object object) {
        // A lambda first: a task is one, and the fast paths' type switch tests each of its cases in turn.
        byte[] fast = object == null ? fastBytes(null)
                : WRITE_REPLACE.get(object.getClass()) != null ? lambdaBytes(object)
                : object.getClass() == Process.class ? processBytes((Process) object)
                : fastBytes(object);
        return fast != null ? fast : javaBytes(object);
    }

    // ---------------------------------------------------------------- lambdas

    /**
     * A serializable lambda's {@code writeReplace} (which makes its {@link SerializedLambda}), per
     * lambda class, looked up once; null for any other class, or when it is not accessible (then
     * the lambda takes the Java path).
     */
    private static final ClassValue<Method> WRITE_REPLACE = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> c) {
            if (!c.isSynthetic() || !Serializable.class.isAssignableFrom(c)) {
                return null;
            }
            try {
                Method m = c.getDeclaredMethod("writeReplace");
                m.setAccessible(true);
                return m.getReturnType() == Object.class ? m : null;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    };

    /**
     * A capturing class's {@code $deserializeLambda$}, which turns a {@link SerializedLambda} back
     * into a lambda (what {@code SerializedLambda.readResolve} calls), looked up once per class.
     */
    private static final ClassValue<Method> DESERIALIZE_LAMBDA = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> c) {
            try {
                Method m = c.getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
                m.setAccessible(true);
                return m;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    };

    /** Capturing classes by name, resolved once. */
    private static final ConcurrentHashMap<String, Class<?>> CAPTURING = new ConcurrentHashMap<>();

    /**
     * A serializable lambda as its {@link SerializedLambda}'s fields (names and signatures as
     * strings) and its captured values, each in this class's own encoding (so a captured
     * {@code int} costs 5 bytes): what Java serialization writes, without a stream header and
     * class descriptors. Null if the lambda will not say what it is (then: the Java path).
     */
    private static byte[] lambdaBytes(Object lambda) {
        SerializedLambda l;
        try {
            if (!(WRITE_REPLACE.get(lambda.getClass()).invoke(lambda) instanceof SerializedLambda sl)) {
                return null;
            }
            l = sl;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        java.util.concurrent.atomic.AtomicReference<byte[]> cached = LAMBDA_HEADER.get(lambda.getClass());
        byte[] header = cached.get();
        if (header == null) {
            header = lambdaHeader(l);
            cached.set(header);
        }
        // Each captured value as its length (big-endian, as DataOutputStream wrote it) and its bytes,
        // into one array of the exact size: no stream and no final copy per task.
        int count = l.getCapturedArgCount();
        byte[][] args = new byte[count][];
        long total = header.length;
        for (int i = 0; i < count; i++) {
            args[i] = toBytes(l.getCapturedArg(i));
            total += 4L + args[i].length;
        }
        if (total > Integer.MAX_VALUE - 9) {
            throw new IllegalArgumentException("a lambda whose captured values take " + total + " bytes is too large to send in one message");
        }
        byte[] b = Arrays.copyOf(header, (int) total);
        int at = header.length;
        for (byte[] arg : args) {
            BIG_INT_AT.set(b, at, arg.length);
            System.arraycopy(arg, 0, b, at + 4, arg.length);
            at += 4 + arg.length;
        }
        return b;
    }

    /**
     * The part of a lambda's message that is the same for every instance of its class (the tag,
     * the names and signatures, the count of captured values), made once per lambda class:
     * writing those eight strings per task was a third of a submitting thread's time in a loop
     * of {@code applyAsync}. (A ClassValue, so that a lambda class can still be unloaded.)
     */
    private static final ClassValue<java.util.concurrent.atomic.AtomicReference<byte[]>> LAMBDA_HEADER = new ClassValue<>() {
        @Override
        protected java.util.concurrent.atomic.AtomicReference<byte[]> computeValue(Class<?> c) {
            return new java.util.concurrent.atomic.AtomicReference<>();
        }
    };

    private static byte[] lambdaHeader(SerializedLambda l) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.write(LAMBDA);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(l.getCapturingClass().replace('/', '.'));
            out.writeUTF(l.getFunctionalInterfaceClass());
            out.writeUTF(l.getFunctionalInterfaceMethodName());
            out.writeUTF(l.getFunctionalInterfaceMethodSignature());
            out.writeInt(l.getImplMethodKind());
            out.writeUTF(l.getImplClass());
            out.writeUTF(l.getImplMethodName());
            out.writeUTF(l.getImplMethodSignature());
            out.writeUTF(l.getInstantiatedMethodType());
            out.writeInt(l.getCapturedArgCount());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize a lambda of " + l.getCapturingClass(), e);
        }
        return bytes.toByteArray();
    }

    /** Reads what {@link #lambdaBytes} wrote: the filter judges it as it would the Java stream of the same lambda. */
    private static Object lambdaValue(byte[] b, int at, int n) throws ClassNotFoundException {
        try {
            LambdaHeader h = lastLambdaHeader;
            if (h == null || h.bytes.length > n || !Arrays.equals(b, at, at + h.bytes.length, h.bytes, 0, h.bytes.length)) {
                h = LambdaHeader.parse(b, at, n);
                lastLambdaHeader = h;
            }
            admit(SerializedLambda.class, -1, n + 1);
            Class<?> capturing = CAPTURING.get(h.capturingName);
            if (capturing == null) {
                ClassLoader loader = Thread.currentThread().getContextClassLoader();
                capturing = Class.forName(h.capturingName, false, loader != null ? loader : Serial.class.getClassLoader());
                CAPTURING.putIfAbsent(h.capturingName, capturing);
            }
            admit(capturing, -1, n + 1);
            int count = h.count;
            if (count < 0 || count > n) {
                throw corrupt("lambda", n);
            }
            admit(Object[].class, count, n + 1);
            Object[] args = new Object[count];
            int p = at + h.bytes.length;
            int end = at + n;
            for (int i = 0; i < count; i++) {
                if (end - p < 4) {
                    throw corrupt("lambda", n);
                }
                int len = (int) BIG_INT_AT.get(b, p);
                if (len <= 0 || len > end - p - 4) {
                    throw corrupt("lambda", n);
                }
                args[i] = fromBytes(b, p + 4, len);
                p += 4 + len;
            }
            Method deserialize = DESERIALIZE_LAMBDA.get(capturing);
            if (deserialize == null) {
                throw new UncheckedIOException(new InvalidClassException(h.capturingName, "has no serializable lambdas here"));
            }
            return deserialize.invoke(null, new SerializedLambda(capturing, h.fiClass, h.fiMethod, h.fiSignature, h.implKind,
                    h.implClass, h.implMethod, h.implSignature, h.instantiated, args));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot deserialize a lambda from another process", e);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new UncheckedIOException(new InvalidObjectException("cannot deserialize a lambda from another process: "
                    + e.getCause()));
        } catch (IllegalAccessException e) {
            throw new UncheckedIOException(new InvalidClassException(capturingNameOf(b, at, n), e.toString()));
        }
    }

    /**
     * The same-for-every-instance part of a lambda's message ({@link #lambdaHeader}) as read, with
     * its bytes: the last one read is kept ({@link #lastLambdaHeader}), so a loop of tasks of one
     * lambda class decodes its eight strings once, not per task (a message whose bytes differ is
     * parsed in full; the filter still judges every message).
     */
    private record LambdaHeader(byte[] bytes, String capturingName, String fiClass, String fiMethod, String fiSignature,
            int implKind, String implClass, String implMethod, String implSignature, String instantiated, int count) {
        static LambdaHeader parse(byte[] b, int at, int n) throws IOException {
            ByteArrayInputStream source = new ByteArrayInputStream(b, at, n);
            DataInputStream in = new DataInputStream(source);
            String capturingName = in.readUTF();
            String fiClass = in.readUTF();
            String fiMethod = in.readUTF();
            String fiSignature = in.readUTF();
            int implKind = in.readInt();
            String implClass = in.readUTF();
            String implMethod = in.readUTF();
            String implSignature = in.readUTF();
            String instantiated = in.readUTF();
            int count = in.readInt();
            int length = n - source.available();
            return new LambdaHeader(Arrays.copyOfRange(b, at, at + length), capturingName, fiClass, fiMethod, fiSignature,
                    implKind, implClass, implMethod, implSignature, instantiated, count);
        }
    }

    private static volatile LambdaHeader lastLambdaHeader;

    private static String capturingNameOf(byte[] b, int at, int n) {
        try {
            return new DataInputStream(new ByteArrayInputStream(b, at, n)).readUTF();
        } catch (IOException e) {
            return "?";
        }
    }

    /** The tagged raw form of a fast-path value, or null if {@code object} takes the Java path. */
    private static byte[] fastBytes(Object object) {
        return switch (object) {
            case null -> new byte[] {NULL};
            case Integer v -> {
                byte[] b = new byte[5];
                b[0] = INT;
                INT_AT.set(b, 1, v.intValue());
                yield b;
            }
            case Long v -> {
                byte[] b = new byte[9];
                b[0] = LONG;
                LONG_AT.set(b, 1, v.longValue());
                yield b;
            }
            case Double v -> {
                byte[] b = new byte[9];
                b[0] = DOUBLE;
                LONG_AT.set(b, 1, Double.doubleToRawLongBits(v));
                yield b;
            }
            case Float v -> {
                byte[] b = new byte[5];
                b[0] = FLOAT;
                INT_AT.set(b, 1, Float.floatToRawIntBits(v));
                yield b;
            }
            case Short v -> {
                byte[] b = new byte[3];
                b[0] = SHORT;
                SHORT_AT.set(b, 1, v.shortValue());
                yield b;
            }
            case Character v -> {
                byte[] b = new byte[3];
                b[0] = CHAR;
                SHORT_AT.set(b, 1, (short) v.charValue());
                yield b;
            }
            case Byte v -> new byte[] {BYTE, v};
            case Boolean v -> new byte[] {v ? TRUE : FALSE};
            case String v -> tagged(STRING, v.getBytes(StandardCharsets.UTF_8));
            case byte[] v -> tagged(BYTES, v);
            case int[] v -> {
                byte[] b = tagged(INTS, v.length * 4);
                ByteBuffer.wrap(b, 1, b.length - 1).order(ORDER).asIntBuffer().put(v);
                yield b;
            }
            case long[] v -> {
                byte[] b = tagged(LONGS, v.length * 8);
                ByteBuffer.wrap(b, 1, b.length - 1).order(ORDER).asLongBuffer().put(v);
                yield b;
            }
            case double[] v -> {
                byte[] b = tagged(DOUBLES, v.length * 8);
                ByteBuffer.wrap(b, 1, b.length - 1).order(ORDER).asDoubleBuffer().put(v);
                yield b;
            }
            case float[] v -> {
                byte[] b = tagged(FLOATS, v.length * 4);
                ByteBuffer.wrap(b, 1, b.length - 1).order(ORDER).asFloatBuffer().put(v);
                yield b;
            }
            case short[] v -> {
                byte[] b = tagged(SHORTS, v.length * 2);
                ByteBuffer.wrap(b, 1, b.length - 1).order(ORDER).asShortBuffer().put(v);
                yield b;
            }
            case char[] v -> {
                byte[] b = tagged(CHARS, v.length * 2);
                ByteBuffer.wrap(b, 1, b.length - 1).order(ORDER).asCharBuffer().put(v);
                yield b;
            }
            case PackedList<?> v -> packedBytes(v);
            case PoolMaps.Chunk<?, ?> v -> chunkBytes(v);
            case boolean[] v -> {
                byte[] b = tagged(BOOLEANS, v.length);
                for (int i = 0; i < v.length; i++) {
                    b[1 + i] = (byte) (v[i] ? 1 : 0);
                }
                yield b;
            }
            default -> null;
        };
    }

    /**
     * A map chunk's list (both ways) as its raw numbers: a chunk of a {@code map} over ints costs
     * four bytes an item and one copy, not a Java stream (measured: the stream, its buffer growth
     * and the boxing round trip were most of a warm {@code map}'s CPU). Null if the list holds
     * anything else (then: the Java path, through {@link PackedList}'s own serial form).
     */
    private static byte[] packedBytes(PackedList<?> list) {
        byte kind = PackedList.kindOf(list);
        int n = list.size();
        return switch (kind) {
            case PackedList.INTS -> {
                byte[] b = tagged(PACKED, 1 + 4L * n);
                b[1] = kind;
                int[] ints = list.intsOrNull();
                if (ints != null) {
                    ByteBuffer.wrap(b, 2, 4 * n).order(ORDER).asIntBuffer().put(ints, 0, n);
                } else {
                    for (int i = 0; i < n; i++) {
                        INT_AT.set(b, 2 + 4 * i, (int) (Integer) list.get(i));
                    }
                }
                yield b;
            }
            case PackedList.LONGS -> {
                byte[] b = tagged(PACKED, 1 + 8L * n);
                b[1] = kind;
                for (int i = 0; i < n; i++) {
                    LONG_AT.set(b, 2 + 8 * i, (long) (Long) list.get(i));
                }
                yield b;
            }
            case PackedList.DOUBLES -> {
                byte[] b = tagged(PACKED, 1 + 8L * n);
                b[1] = kind;
                for (int i = 0; i < n; i++) {
                    LONG_AT.set(b, 2 + 8 * i, Double.doubleToRawLongBits((Double) list.get(i)));
                }
                yield b;
            }
            default -> null;
        };
    }

    /**
     * Reads what {@link #packedBytes} wrote: ints as a {@link PackedList} (its numbers in one
     * array, unboxed), longs and doubles as an {@link java.util.ArrayList}.
     */
    private static Object packedValue(byte[] b, int at, int n) {
        if (n < 1) {
            throw corrupt("packed list", n);
        }
        byte kind = b[at];
        int size = kind == PackedList.INTS ? 4 : kind == PackedList.LONGS || kind == PackedList.DOUBLES ? 8 : 0;
        if (size == 0 || (n - 1) % size != 0) {
            throw corrupt("packed list", n);
        }
        int count = (n - 1) / size;
        // Judged as the Java form would be: the list, then its array of numbers.
        admit(java.util.ArrayList.class, -1, n + 1);
        admit(size == 4 ? int[].class : kind == PackedList.LONGS ? long[].class : double[].class, count, n + 1);
        if (kind == PackedList.INTS) {
            int[] ints = new int[count];
            ByteBuffer.wrap(b, at + 1, 4 * count).order(ORDER).asIntBuffer().get(ints);
            return PackedList.ofInts(ints, count);
        }
        java.util.ArrayList<Object> out = new java.util.ArrayList<>(count);
        int p = at + 1;
        switch (kind) {
            case PackedList.LONGS -> {
                for (int i = 0; i < count; i++, p += 8) {
                    out.add((long) LONG_AT.get(b, p));
                }
            }
            default -> {
                for (int i = 0; i < count; i++, p += 8) {
                    out.add(Double.longBitsToDouble((long) LONG_AT.get(b, p)));
                }
            }
        }
        return out;
    }

    /** A map chunk as its function's message and its items' message, each in this encoding. */
    private static byte[] chunkBytes(PoolMaps.Chunk<?, ?> chunk) {
        byte[] fn = toBytes(chunk.fn());
        byte[] items = toBytes(chunk.items() instanceof PackedList<?> p ? p : new PackedList<>(chunk.items()));
        byte[] b = tagged(CHUNK, 4L + fn.length + items.length);
        INT_AT.set(b, 1, fn.length);
        System.arraycopy(fn, 0, b, 5, fn.length);
        System.arraycopy(items, 0, b, 5 + fn.length, items.length);
        return b;
    }

    private static Object chunkValue(byte[] b, int at, int n) throws ClassNotFoundException {
        if (n < 4) {
            throw corrupt("map chunk", n);
        }
        int fnLength = (int) INT_AT.get(b, at);
        if (fnLength <= 0 || fnLength > n - 5) {
            throw corrupt("map chunk", n);
        }
        admit(PoolMaps.Chunk.class, -1, n + 1);
        if (!(fromBytes(b, at + 4, fnLength) instanceof SerializableFunction<?, ?> fn)
                || !(fromBytes(b, at + 4 + fnLength, n - 4 - fnLength) instanceof java.util.List<?> items)) {
            throw corrupt("map chunk", n);
        }
        @SuppressWarnings("unchecked")
        PoolMaps.Chunk<?, ?> chunk = new PoolMaps.Chunk<>((SerializableFunction<Object, Object>) fn, (java.util.List<Object>) items);
        return chunk;
    }

    /** {@link #PROCESS}'s form, or null when a name is too long for it (the Java path takes it). */
    private static byte[] processBytes(Process process) {
        byte[] target = toBytes(process.target());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + target.length);
        bytes.write(PROCESS);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(process.name());
            out.writeBoolean(process.isDaemon());
            out.writeBoolean(process.parentName() != null);
            if (process.parentName() != null) {
                out.writeUTF(process.parentName());
            }
            out.writeInt(target.length);
            out.write(target);
        } catch (java.io.UTFDataFormatException tooLong) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize a " + Process.class.getName(), e);
        }
        return bytes.toByteArray();
    }

    private static Object processValue(byte[] b, int at, int n) throws ClassNotFoundException {
        admit(Process.class, -1, n + 1);
        String name;
        boolean daemon;
        String parentName;
        int length;
        ByteArrayInputStream source = new ByteArrayInputStream(b, at, n);
        try {
            DataInputStream in = new DataInputStream(source);
            name = in.readUTF();
            daemon = in.readBoolean();
            parentName = in.readBoolean() ? in.readUTF() : null;
            length = in.readInt();
        } catch (IOException e) {
            throw corrupt("process", n);
        }
        if (length <= 0 || length != source.available()) {
            throw corrupt("process", n);
        }
        Object target = fromBytes(b, at + n - length, length);
        if (target != null && !(target instanceof SerializableRunnable)) {
            throw corrupt("process", n);
        }
        return Process.restored((SerializableRunnable) target, name, daemon, parentName);
    }

    private static byte[] tagged(byte tag, byte[] payload) {
        byte[] b = tagged(tag, payload.length);
        System.arraycopy(payload, 0, b, 1, payload.length);
        return b;
    }

    private static byte[] tagged(byte tag, long payloadBytes) {
        if (payloadBytes > Integer.MAX_VALUE - 9) {
            throw new IllegalArgumentException("an array of " + payloadBytes + " bytes is too large to send in one message");
        }
        byte[] b = new byte[1 + (int) payloadBytes];
        b[0] = tag;
        return b;
    }

    private static byte[] javaBytes(Object object) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.write(JAVA);
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
        if (length == 0) {
            throw new UncheckedIOException(new IOException("cannot deserialize an empty message from another process"));
        }
        byte tag = bytes[offset];
        if (tag == LAMBDA) {
            return lambdaValue(bytes, offset + 1, length - 1);
        }
        if (tag == PACKED) {
            return packedValue(bytes, offset + 1, length - 1);
        }
        if (tag == CHUNK) {
            return chunkValue(bytes, offset + 1, length - 1);
        }
        if (tag == PROCESS) {
            return processValue(bytes, offset + 1, length - 1);
        }
        if (tag != JAVA) {
            return fastValue(tag, bytes, offset + 1, length - 1);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes, offset + 1, length - 1))) {
            in.setObjectInputFilter(JdkFilter.FILTER);
            return in.readObject();
        } catch (InvalidClassException e) {
            throw rejected(e);
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

    private static IllegalStateException rejected(Exception cause) {
        return new IllegalStateException("data from another process was rejected by the serial filter ("
                + LIMITS + ", " + FILTER_PROPERTY + "=" + PATTERN + ")", cause);
    }

    /** Reads a fast-path value of {@code n} payload bytes at {@code at}, after the filter admitted it. */
    private static Object fastValue(byte tag, byte[] b, int at, int n) {
        Object value = switch (tag) {
            case NULL -> {
                exactly(0, n, null);
                yield null;
            }
            case TRUE -> exactly(0, n, Boolean.class) ? Boolean.TRUE : null;
            case FALSE -> exactly(0, n, Boolean.class) ? Boolean.FALSE : null;
            case INT -> exactly(4, n, Integer.class) ? (int) INT_AT.get(b, at) : null;
            case LONG -> exactly(8, n, Long.class) ? (long) LONG_AT.get(b, at) : null;
            case DOUBLE -> exactly(8, n, Double.class) ? Double.longBitsToDouble((long) LONG_AT.get(b, at)) : null;
            case FLOAT -> exactly(4, n, Float.class) ? Float.intBitsToFloat((int) INT_AT.get(b, at)) : null;
            case SHORT -> exactly(2, n, Short.class) ? (short) SHORT_AT.get(b, at) : null;
            case CHAR -> exactly(2, n, Character.class) ? (char) (short) SHORT_AT.get(b, at) : null;
            case BYTE -> exactly(1, n, Byte.class) ? b[at] : null;
            case STRING -> admit(String.class, -1, n) ? new String(b, at, n, StandardCharsets.UTF_8) : null;
            case BYTES -> admit(byte[].class, n, n) ? java.util.Arrays.copyOfRange(b, at, at + n) : null;
            case INTS -> {
                int[] v = new int[elements(int[].class, n, 4)];
                ByteBuffer.wrap(b, at, n).order(ORDER).asIntBuffer().get(v);
                yield v;
            }
            case LONGS -> {
                long[] v = new long[elements(long[].class, n, 8)];
                ByteBuffer.wrap(b, at, n).order(ORDER).asLongBuffer().get(v);
                yield v;
            }
            case DOUBLES -> {
                double[] v = new double[elements(double[].class, n, 8)];
                ByteBuffer.wrap(b, at, n).order(ORDER).asDoubleBuffer().get(v);
                yield v;
            }
            case FLOATS -> {
                float[] v = new float[elements(float[].class, n, 4)];
                ByteBuffer.wrap(b, at, n).order(ORDER).asFloatBuffer().get(v);
                yield v;
            }
            case SHORTS -> {
                short[] v = new short[elements(short[].class, n, 2)];
                ByteBuffer.wrap(b, at, n).order(ORDER).asShortBuffer().get(v);
                yield v;
            }
            case CHARS -> {
                char[] v = new char[elements(char[].class, n, 2)];
                ByteBuffer.wrap(b, at, n).order(ORDER).asCharBuffer().get(v);
                yield v;
            }
            case BOOLEANS -> {
                boolean[] v = new boolean[elements(boolean[].class, n, 1)];
                for (int i = 0; i < v.length; i++) {
                    v[i] = b[at + i] != 0;
                }
                yield v;
            }
            default -> throw new UncheckedIOException(new IOException("cannot deserialize data from another process: unknown tag " + tag));
        };
        return value;
    }

    /** Checks a fixed-size value's length and asks the filter about its class ({@code null}: nothing to ask). */
    private static boolean exactly(int size, int n, Class<?> type) {
        if (n != size) {
            throw corrupt(type == null ? "null" : type.getSimpleName(), n);
        }
        return type == null || ADMITTED_SMALL.get(type) || admit(type, -1, n + 1);
    }

    /**
     * Whether the filter admits a value of this class (not an array) of {@value #SMALL_BYTES}
     * stream bytes, asked once per class: the filter is fixed for the JVM's life, and a limit that
     * admits that size admits any smaller one. Asking per message cost a pool's result thread
     * about a fifth of its time (the JDK's filter walks its pattern list with a stream each call).
     * False: ask per value, as before.
     */
    private static final int SMALL_BYTES = 16;
    private static final ClassValue<Boolean> ADMITTED_SMALL = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return admit(type, -1, SMALL_BYTES);
            } catch (IllegalStateException rejected) {
                return false;
            }
        }
    };

    private static int elements(Class<?> arrayType, int n, int size) {
        if (n % size != 0) {
            throw corrupt(arrayType.getSimpleName(), n);
        }
        admit(arrayType, n / size, n + 1);
        return n / size;
    }

    private static UncheckedIOException corrupt(Object what, int n) {
        return new UncheckedIOException(new IOException("cannot deserialize data from another process: a " + what
                + " of " + n + " bytes is corrupt"));
    }

    /**
     * Asks the filter about a fast-path value as {@code ObjectInputStream} would about the same
     * value: its class, array length (or -1), depth 1, one reference, its size; true if admitted,
     * else the same {@link IllegalStateException} as a rejected Java stream.
     */
    static boolean admit(Class<?> type, long arrayLength, long streamBytes) {
        if (PATTERN.isEmpty()) {
            // LIMITS alone, as the JDK's filter applies them to such a value: depth 1 and one
            // reference are within theirs; an array's length and the size can exceed theirs.
            if (arrayLength > MAX_ARRAY || streamBytes > Integer.MAX_VALUE) {
                throw rejected(new InvalidClassException(type.getName(), "filter status: REJECTED"));
            }
            return true;
        }
        ObjectInputFilter.Status status = JdkFilter.FILTER.checkInput(new ObjectInputFilter.FilterInfo() {
            @Override
            public Class<?> serialClass() {
                return type;
            }

            @Override
            public long arrayLength() {
                return arrayLength;
            }

            @Override
            public long depth() {
                return 1;
            }

            @Override
            public long references() {
                return 1;
            }

            @Override
            public long streamBytes() {
                return streamBytes;
            }
        });
        if (status == ObjectInputFilter.Status.REJECTED) {
            throw rejected(new InvalidClassException(type.getName(), "filter status: REJECTED"));
        }
        return true;
    }
}
