package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.shared.internal.SharedMemoryLayout;
import java.io.Serial;
import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A fixed-length array of numbers in shared memory: Python's {@code multiprocessing.Array}.
 *
 * <pre>{@code
 * Array temp = Array.of('i', 11, 22, 33, 44);   // Python: Array('i', [11, 22, 33, 44])
 * // in a child process: temp.setInt(i, 100 + i);
 * try (var held = temp.getLock().hold()) {        // Python: with temp.get_lock():
 *     temp.setInt(0, temp.getInt(0) + 1);
 * }
 * }</pre>
 *
 * <p>Type codes are Python's (of the {@code array} module, with C's sizes on 64-bit Linux):
 * {@code b}/{@code B} 8-bit, {@code h}/{@code H} 16-bit, {@code i}/{@code I} 32-bit,
 * {@code l}/{@code L}/{@code q}/{@code Q} 64-bit (signed / unsigned), {@code f} float,
 * {@code d} double. Accessors convert as C does, like ctypes: an integral array stores a value
 * truncated to its width, unsigned elements read back as their unsigned value ({@code getLong}
 * of an {@code 'I'} element 2^32-1 is 4294967295; {@code getInt} of it is -1), a floating-point
 * array accepts any number. Storing a {@code double} into an integral array, or reading an integral
 * value from a floating-point one with {@code getInt}/{@code getLong}, throws
 * {@link IllegalArgumentException} (Python's TypeError). An index out of range throws
 * {@link IndexOutOfBoundsException}.
 *
 * <p>With {@code lock=true} (the default) the array carries a process-shared {@link RLock},
 * {@link #getLock()}; element accesses themselves never lock (as in Python, where {@code a[i] += 1}
 * is not atomic: take the lock). With {@code lock=false} it is Python's {@code RawArray} and
 * {@code getLock()} throws {@link IllegalStateException}.
 *
 * <p>Memory consistency: element reads and writes are opaque accesses (never cached in a
 * register, not ordered with each other); order them across processes with the lock.
 *
 * <p>Serializable as a handle (segment, type code, length): deserialized in another JVM it is the
 * same memory. The segment is unlinked when this array is garbage in its creating JVM or that
 * JVM exits.
 */
public final class Array implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.nativeOrder());
    private static final VarHandle FLOAT = MethodHandles.byteBufferViewVarHandle(float[].class, ByteOrder.nativeOrder());
    private static final VarHandle DOUBLE = MethodHandles.byteBufferViewVarHandle(double[].class, ByteOrder.nativeOrder());

    private final transient SharedMemory shm;
    private final transient ByteBuffer buf;
    private final transient int data;
    /** The element type, as Python's {@code array} typecode ('i', 'd', ...). */
    private final char typecode;
    private final transient int shift;
    /** The number of elements. */
    private final int length;
    private final transient RLock lock;

    private Array(SharedMemory shm, char typecode, int length, boolean withLock) {
        this.shm = shm;
        this.buf = shm.whole();
        this.data = SharedMemoryLayout.HEADER_SIZE + ArrayLayout.DATA;
        this.typecode = typecode;
        this.shift = shiftOf(typecode);
        this.length = length;
        this.lock = withLock ? new RLock(shm, SharedMemoryLayout.HEADER_SIZE + ArrayLayout.LOCK) : null;
    }

    private static Array allocate(char typecode, int length, boolean lock) {
        int shift = shiftOf(typecode);
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0: " + length);
        }
        SharedMemory shm = SharedMemory.createAnonymous("array", ArrayLayout.size(1 << shift, length));
        return new Array(shm, typecode, length, lock);
    }

    /**
     * {@code Array(typecode, [values...])}, with a lock.
     *
     * @param typecode the element type, as Python's {@code array} module names it ({@code 'i'}, {@code 'd'}, ...)
     * @param values the elements
     * @return a new process-shared array holding {@code values}
     * @throws IllegalArgumentException if {@code typecode} is unknown, or a float is given for an integral type code
     */
    public static Array of(char typecode, Number... values) {
        Objects.requireNonNull(values, "values");
        Array a = allocate(typecode, values.length, true);
        for (int i = 0; i < values.length; i++) {
            a.set(i, Objects.requireNonNull(values[i], "values[" + i + "]"));
        }
        return a;
    }

    /**
     * {@code Array(typecode, length)}: zero-filled, with a lock.
     *
     * @param typecode the element type, as Python's {@code array} module names it
     * @param length the number of elements
     * @return a new process-shared array of zeros
     * @throws IllegalArgumentException if {@code typecode} is unknown or {@code length} is negative
     */
    public static Array ofSize(char typecode, int length) {
        return ofSize(typecode, length, true);
    }

    /**
     * {@code Array(typecode, length, lock=lock)}: zero-filled.
     *
     * @param typecode the element type, as Python's {@code array} module names it
     * @param length the number of elements
     * @param lock whether the array has a lock ({@link #getLock()})
     * @return a new process-shared array of zeros
     * @throws IllegalArgumentException if {@code typecode} is unknown or {@code length} is negative
     */
    public static Array ofSize(char typecode, int length, boolean lock) {
        return allocate(typecode, length, lock);
    }

    /**
     * Python's {@code Array(typecode, values, lock=lock)} for a Java array of values.
     *
     * @param typecode the element type, as Python's {@code array} module names it
     * @param values the elements
     * @param lock whether the array has a lock ({@link #getLock()})
     * @return a new process-shared array holding {@code values}
     * @throws IllegalArgumentException if {@code typecode} is unknown, or a float is given for an integral type code
     */
    public static Array copyOf(char typecode, Number[] values, boolean lock) {
        Array a = allocate(typecode, values.length, lock);
        for (int i = 0; i < values.length; i++) {
            a.set(i, Objects.requireNonNull(values[i], "values[" + i + "]"));
        }
        return a;
    }

    /**
     * Returns the number of elements (Python's {@code len(a)}).
     *
     * @return the number of elements
     */
    public int length() {
        return length;
    }

    /**
     * Returns the element type.
     *
     * @return the type code the array was made with
     */
    public char typecode() {
        return typecode;
    }

    /**
     * The array's process-shared re-entrant lock (Python's {@code get_lock()}).
     *
     * @return the array's lock
     * @throws IllegalStateException if the array was made with {@code lock=false}
     */
    public RLock getLock() {
        if (lock == null) {
            throw new IllegalStateException("this Array was created with lock=false: it has no lock");
        }
        return lock;
    }

    /**
     * The element as an int (integral type codes; wider values are truncated).
     *
     * @param i the index
     * @return the element, as an int
     * @throws IndexOutOfBoundsException if {@code i} is not an index of the array
     * @throws IllegalArgumentException if the array holds floats
     */
    public int getInt(int i) {
        int at = offset(i);
        return switch (typecode) {
            case 'i', 'I' -> (int) Words.INT.getOpaque(buf, at);
            case 'b' -> buf.get(at);
            case 'B' -> buf.get(at) & 0xFF;
            case 'h' -> (short) SHORT.getOpaque(buf, at);
            case 'H' -> (short) SHORT.getOpaque(buf, at) & 0xFFFF;
            case 'l', 'L', 'q', 'Q' -> (int) (long) Words.LONG.getOpaque(buf, at);
            default -> throw notIntegral();
        };
    }

    /**
     * Stores {@code v} truncated to the element's width (a floating-point array stores it as is).
     *
     * @param i the index
     * @param v the value
     * @throws IndexOutOfBoundsException if {@code i} is not an index of the array
     */
    public void setInt(int i, int v) {
        int at = offset(i);
        switch (typecode) {
            case 'i', 'I' -> Words.INT.setOpaque(buf, at, v);
            case 'b', 'B' -> buf.put(at, (byte) v);
            case 'h', 'H' -> SHORT.setOpaque(buf, at, (short) v);
            case 'l', 'L', 'q', 'Q' -> Words.LONG.setOpaque(buf, at, typecode == 'L' || typecode == 'Q' ? v : (long) v);
            case 'f' -> FLOAT.setOpaque(buf, at, (float) v);
            default -> DOUBLE.setOpaque(buf, at, (double) v);
        }
    }

    /**
     * The element as a long (unsigned codes read as their unsigned value, except 64-bit ones: raw bits).
     *
     * @param i the index
     * @return the element, as a long
     * @throws IndexOutOfBoundsException if {@code i} is not an index of the array
     * @throws IllegalArgumentException if the array holds floats
     */
    public long getLong(int i) {
        int at = offset(i);
        return switch (typecode) {
            case 'i' -> (int) Words.INT.getOpaque(buf, at);
            case 'I' -> Integer.toUnsignedLong((int) Words.INT.getOpaque(buf, at));
            case 'l', 'L', 'q', 'Q' -> (long) Words.LONG.getOpaque(buf, at);
            case 'b', 'B', 'h', 'H' -> getInt(i);
            default -> throw notIntegral();
        };
    }

    /**
     * Stores {@code v} truncated to the element's width (a floating-point array stores it as is).
     *
     * @param i the index
     * @param v the value
     * @throws IndexOutOfBoundsException if {@code i} is not an index of the array
     */
    public void setLong(int i, long v) {
        int at = offset(i);
        switch (typecode) {
            case 'l', 'L', 'q', 'Q' -> Words.LONG.setOpaque(buf, at, v);
            case 'f' -> FLOAT.setOpaque(buf, at, (float) v);
            case 'd' -> DOUBLE.setOpaque(buf, at, (double) v);
            default -> setInt(i, (int) v);
        }
    }

    /**
     * The element as a double (any type code).
     *
     * @param i the index
     * @return the element, as a double
     * @throws IndexOutOfBoundsException if {@code i} is not an index of the array
     */
    public double getDouble(int i) {
        int at = offset(i);
        return switch (typecode) {
            case 'd' -> (double) DOUBLE.getOpaque(buf, at);
            case 'f' -> (float) FLOAT.getOpaque(buf, at);
            case 'L', 'Q' -> unsignedToDouble(getLong(i));
            default -> getLong(i);
        };
    }

    /**
     * Stores {@code v} in a floating-point array; an integral array throws {@link IllegalArgumentException}.
     *
     * @param i the index
     * @param v the value
     * @throws IndexOutOfBoundsException if {@code i} is not an index of the array
     * @throws IllegalArgumentException if the array is integral
     */
    public void setDouble(int i, double v) {
        int at = offset(i);
        switch (typecode) {
            case 'd' -> DOUBLE.setOpaque(buf, at, v);
            case 'f' -> FLOAT.setOpaque(buf, at, (float) v);
            default -> throw new IllegalArgumentException("cannot store a float in an Array of type code '" + typecode + "'");
        }
    }

    /**
     * The element as a boxed number of the type code's natural Java type.
     *
     * @param i the index
     * @return the element, boxed
     * @throws IndexOutOfBoundsException if {@code i} is not an index of the array
     */
    public Number get(int i) {
        return switch (typecode) {
            case 'f', 'd' -> getDouble(i);
            case 'L', 'Q' -> getLong(i);
            case 'I' -> getLong(i);
            case 'l', 'q' -> getLong(i);
            default -> getInt(i);
        };
    }

    /**
     * Stores any number: integral values into integral arrays, any value into floating-point ones.
     *
     * @param i the index
     * @param v the value
     * @throws IndexOutOfBoundsException if {@code i} is not an index of the array
     * @throws IllegalArgumentException if {@code v} is a float and the array is integral
     */
    public void set(int i, Number v) {
        if (v instanceof Double || v instanceof Float) {
            if (typecode == 'f' || typecode == 'd') {
                setDouble(i, v.doubleValue());
            } else {
                throw new IllegalArgumentException("cannot store a float in an Array of type code '" + typecode + "'");
            }
        } else {
            setLong(i, v.longValue());
        }
    }

    /**
     * Copies the elements out as ints, as {@link #getInt(int)} reads them.
     *
     * @return a new array of the elements
     * @throws IllegalArgumentException if the array holds floats
     */
    public int[] toIntArray() {
        int[] out = new int[length];
        for (int i = 0; i < length; i++) {
            out[i] = getInt(i);
        }
        return out;
    }

    /**
     * Copies the elements out as longs, as {@link #getLong(int)} reads them.
     *
     * @return a new array of the elements
     * @throws IllegalArgumentException if the array holds floats
     */
    public long[] toLongArray() {
        long[] out = new long[length];
        for (int i = 0; i < length; i++) {
            out[i] = getLong(i);
        }
        return out;
    }

    /**
     * Copies the elements out as doubles.
     *
     * @return a new array of the elements
     */
    public double[] toDoubleArray() {
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Array('").append(typecode).append("', [");
        for (int i = 0; i < length; i++) {
            sb.append(i == 0 ? "" : ", ").append(get(i));
        }
        return sb.append("])").toString();
    }

    SharedMemory segment() {
        return shm;
    }

    private int offset(int i) {
        return data + (Objects.checkIndex(i, length) << shift);
    }

    private IllegalArgumentException notIntegral() {
        return new IllegalArgumentException("Array of type code '" + typecode + "' holds floats: use getDouble");
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    static int shiftOf(char typecode) {
        return switch (typecode) {
            case 'b', 'B' -> 0;
            case 'h', 'H' -> 1;
            case 'i', 'I', 'f' -> 2;
            case 'l', 'L', 'q', 'Q', 'd' -> 3;
            default -> throw new IllegalArgumentException(
                    "bad typecode (must be b, B, h, H, i, I, l, L, q, Q, f or d): '" + typecode + "'");
        };
    }

    /**
     * Travels as a handle: the segment's name, typecode, length and whether it has a lock; the
     * receiver attaches to the same memory.
     *
     * @return the handle that is serialized in this array's place
     */
    @Serial
    private Object writeReplace() {
        return new Handle(shm.name(), typecode, length, lock != null);
    }

    private record Handle(String segment, char typecode, int length, boolean lock) implements Serializable {
        @Serial
        private Object readResolve() {
            return new Array(SharedMemory.open(segment), typecode, length, lock);
        }
    }
}
