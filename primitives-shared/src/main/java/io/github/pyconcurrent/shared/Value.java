package io.github.pyconcurrent.shared;

import java.io.Serial;
import java.io.Serializable;

/**
 * One number in shared memory: Python's {@code multiprocessing.Value}. The same type codes,
 * conversions and lock as an {@link Array} (it is a one-element array).
 *
 * <pre>{@code
 * Value counter = Value.of('i', 0);            // Python: Value('i', 0)
 * try (var held = counter.getLock().hold()) {  // Python: with counter.get_lock():
 *     counter.setInt(counter.getInt() + 1);     //             counter.value += 1
 * }
 * }</pre>
 *
 * <p>Serializable as a handle to the same memory.
 */
public final class Value implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The one-element {@link Array} that holds the value. */
    private final Array cell;

    private Value(Array cell) {
        this.cell = cell;
    }

    /**
     * {@code Value(typecode, initial)}, with a lock.
     *
     * @param typecode the type, as Python's {@code array} module names it ({@code 'i'}, {@code 'd'}, ...)
     * @param initial the value at the start
     * @return a new process-shared value
     * @throws IllegalArgumentException if {@code typecode} is unknown, or {@code initial} is a float for an integral type code
     */
    public static Value of(char typecode, Number initial) {
        return of(typecode, initial, true);
    }

    /**
     * {@code Value(typecode, initial, lock=lock)}; {@code lock=false} is Python's {@code RawValue}.
     *
     * @param typecode the type, as Python's {@code array} module names it
     * @param initial the value at the start
     * @param lock whether the value has a lock ({@link #getLock()})
     * @return a new process-shared value
     * @throws IllegalArgumentException if {@code typecode} is unknown, or {@code initial} is a float for an integral type code
     */
    public static Value of(char typecode, Number initial, boolean lock) {
        return new Value(Array.copyOf(typecode, new Number[] {initial}, lock));
    }

    /**
     * Returns the value's type.
     *
     * @return the type code the value was made with
     */
    public char typecode() {
        return cell.typecode();
    }

    /**
     * The value's process-shared re-entrant lock (Python's {@code get_lock()}).
     *
     * @return the value's lock
     * @throws IllegalStateException if the value was made with {@code lock=false}
     */
    public RLock getLock() {
        return cell.getLock();
    }

    /**
     * Reads the value as an int, as {@link Array#getInt(int)}.
     *
     * @return the value
     * @throws IllegalArgumentException if the value is a float
     */
    public int getInt() {
        return cell.getInt(0);
    }

    /**
     * Stores {@code v}, as {@link Array#setInt(int, int)}.
     *
     * @param v the new value
     */
    public void setInt(int v) {
        cell.setInt(0, v);
    }

    /**
     * Reads the value as a long, as {@link Array#getLong(int)}.
     *
     * @return the value
     * @throws IllegalArgumentException if the value is a float
     */
    public long getLong() {
        return cell.getLong(0);
    }

    /**
     * Stores {@code v}, as {@link Array#setLong(int, long)}.
     *
     * @param v the new value
     */
    public void setLong(long v) {
        cell.setLong(0, v);
    }

    /**
     * Reads the value as a double.
     *
     * @return the value
     */
    public double getDouble() {
        return cell.getDouble(0);
    }

    /**
     * Stores {@code v} in a floating-point value, as {@link Array#setDouble(int, double)}.
     *
     * @param v the new value
     * @throws IllegalArgumentException if the value is integral
     */
    public void setDouble(double v) {
        cell.setDouble(0, v);
    }

    /**
     * The value boxed (Python's {@code .value}).
     *
     * @return the value, boxed
     */
    public Number get() {
        return cell.get(0);
    }

    /**
     * Stores any number, as {@link Array#set(int, Number)}.
     *
     * @param v the new value
     * @throws IllegalArgumentException if {@code v} is a float and the value is integral
     */
    public void set(Number v) {
        cell.set(0, v);
    }

    @Override
    public String toString() {
        return "Value('" + typecode() + "', " + get() + ")";
    }
}
