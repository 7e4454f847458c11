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

    private final Array cell;

    private Value(Array cell) {
        this.cell = cell;
    }

    /** {@code Value(typecode, initial)}, with a lock. */
    public static Value of(char typecode, Number initial) {
        return of(typecode, initial, true);
    }

    /** {@code Value(typecode, initial, lock=lock)}; {@code lock=false} is Python's {@code RawValue}. */
    public static Value of(char typecode, Number initial, boolean lock) {
        return new Value(Array.copyOf(typecode, new Number[] {initial}, lock));
    }

    public char typecode() {
        return cell.typecode();
    }

    /** The value's process-shared re-entrant lock (Python's {@code get_lock()}). */
    public RLock getLock() {
        return cell.getLock();
    }

    public int getInt() {
        return cell.getInt(0);
    }

    public void setInt(int v) {
        cell.setInt(0, v);
    }

    public long getLong() {
        return cell.getLong(0);
    }

    public void setLong(long v) {
        cell.setLong(0, v);
    }

    public double getDouble() {
        return cell.getDouble(0);
    }

    public void setDouble(double v) {
        cell.setDouble(0, v);
    }

    /** The value boxed (Python's {@code .value}). */
    public Number get() {
        return cell.get(0);
    }

    /** Stores any number, as {@link Array#set(int, Number)}. */
    public void set(Number v) {
        cell.set(0, v);
    }

    @Override
    public String toString() {
        return "Value('" + typecode() + "', " + get() + ")";
    }
}
