package io.github.pyconcurrent.shared;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Array and Value: Python's type codes, C conversions, the lock flag. */
@Timeout(60)
class ArrayValueTest {
    @AfterAll
    static void nothingLeftInDevShm() {
        System.gc();
        ShmLeaks.assertNoStrays();
    }

    /** Array.of stores the values; length, typecode and the to*Array views agree. */
    @Test
    void ofStoresValues() {
        Array a = Array.of('i', 11, 22, 33, 44);
        assertEquals(4, a.length());
        assertEquals('i', a.typecode());
        assertArrayEquals(new int[] {11, 22, 33, 44}, a.toIntArray());
        assertArrayEquals(new long[] {11, 22, 33, 44}, a.toLongArray());
        assertArrayEquals(new double[] {11, 22, 33, 44}, a.toDoubleArray());
        assertEquals("Array('i', [11, 22, 33, 44])", a.toString());
        assertEquals(0, Array.of('d').length());
    }

    /** Every type code round-trips a value in its range, and ofSize zero-fills. */
    @Test
    void everyTypecodeRoundTrips() {
        for (char tc : "bBhHiIlLqQ".toCharArray()) {
            Array a = Array.ofSize(tc, 3);
            assertEquals(0L, a.getLong(2), "zero-filled " + tc);
            a.setLong(1, 100);
            assertEquals(100L, a.getLong(1), "typecode " + tc);
            assertEquals(100, a.getInt(1));
            assertEquals(100.0, a.getDouble(1));
            assertEquals(0L, a.getLong(0), "neighbour untouched " + tc);
            assertEquals(0L, a.getLong(2), "neighbour untouched " + tc);
        }
        for (char tc : "fd".toCharArray()) {
            Array a = Array.ofSize(tc, 2);
            a.setDouble(0, 1.5);
            a.setInt(1, 3);
            assertArrayEquals(new double[] {1.5, 3.0}, a.toDoubleArray());
        }
    }

    /** Integral arrays truncate as C (and ctypes) do; unsigned codes read back unsigned. */
    @Test
    void cConversions() {
        Array b = Array.ofSize('b', 1);
        b.setInt(0, 300);
        assertEquals(44, b.getInt(0));
        Array ub = Array.ofSize('B', 1);
        ub.setInt(0, -1);
        assertEquals(255, ub.getInt(0));
        Array h = Array.ofSize('H', 1);
        h.setInt(0, -1);
        assertEquals(65535, h.getInt(0));
        Array ui = Array.ofSize('I', 1);
        ui.setLong(0, 0xFFFF_FFFFL);
        assertEquals(4294967295L, ui.getLong(0));
        assertEquals(-1, ui.getInt(0));
        Array uq = Array.ofSize('Q', 1);
        uq.setLong(0, -1);
        assertEquals(1.8446744073709552E19, uq.getDouble(0));
        Array f = Array.ofSize('f', 1);
        f.setDouble(0, 0.1);
        assertEquals((float) 0.1, (float) f.getDouble(0));
    }

    /** Python's TypeError and ValueError cases, and index checks. */
    @Test
    void misuseThrows() {
        assertThrows(IllegalArgumentException.class, () -> Array.ofSize('x', 1));
        assertThrows(IllegalArgumentException.class, () -> Array.ofSize('i', -1));
        assertThrows(IllegalArgumentException.class, () -> Array.of('i', 1.5));
        assertThrows(IllegalArgumentException.class, () -> Array.ofSize('i', 1).setDouble(0, 1.5));
        assertThrows(IllegalArgumentException.class, () -> Array.ofSize('d', 1).getInt(0));
        Array a = Array.ofSize('i', 2);
        assertThrows(IndexOutOfBoundsException.class, () -> a.getInt(2));
        assertThrows(IndexOutOfBoundsException.class, () -> a.setInt(-1, 0));
    }

    /** lock=true (the default) gives an RLock of this package; lock=false has none. */
    @Test
    void lockFlag() {
        Array locked = Array.ofSize('i', 1);
        RLock lock = locked.getLock();
        try (var held = lock.hold()) {
            assertTrue(lock.locked());
            assertTrue(locked.getLock().acquire(false), "re-entrant, and the same lock");
            locked.getLock().release();
        }
        assertFalse(lock.locked());
        assertThrows(IllegalStateException.class, () -> Array.ofSize('i', 1, false).getLock());
        assertThrows(IllegalStateException.class, () -> Value.of('i', 0, false).getLock());
    }

    /** Value: one element with the same conversions, and a lock. */
    @Test
    void value() {
        Value v = Value.of('i', 0);
        try (var held = v.getLock().hold()) {
            v.setInt(v.getInt() + 1);
        }
        assertEquals(1, v.getInt());
        assertEquals(1, v.get());
        Value d = Value.of('d', 1.5);
        d.set(2.5);
        assertEquals(2.5, d.getDouble());
        assertEquals("Value('d', 2.5)", d.toString());
        Value q = Value.of('q', Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, q.getLong());
        assertNotSame(v.getLock(), d.getLock());
    }
}
