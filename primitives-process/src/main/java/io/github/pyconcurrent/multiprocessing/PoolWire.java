package io.github.pyconcurrent.multiprocessing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The records a {@link Pool} and its {@link Worker}s exchange over a worker's two shared-memory
 * {@link Ring}s (tasks one way, results the other; Python's {@code Pool} uses two pipes the same
 * way, {@code _inqueue} and {@code _outqueue}). A record holds one or more entries, so a busy
 * pool writes several tasks with one ring publish and one wake:
 *
 * <pre>
 *   entry: byte kind, long id (the task's), int length, length bytes (Serial's encoding)
 * </pre>
 *
 * Little-endian, as {@link Serial}'s fast paths.
 */
final class PoolWire {
    // parent -> worker
    static final byte TASK = 1;
    static final byte STOP = 2;
    // worker -> parent
    static final byte RESULT = 3;
    static final byte FAILURE = 4;

    static final int ENTRY_HEADER = 1 + 8 + 4;
    private static final VarHandle INT_AT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_AT = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] EMPTY = new byte[0];

    private PoolWire() {}

    /** A record of one entry. */
    static byte[] single(byte kind, long id, byte[] payload) {
        byte[] r = new byte[ENTRY_HEADER + payload.length];
        put(r, 0, kind, id, payload);
        return r;
    }

    /** A record of one entry without payload ({@link #STOP}). */
    static byte[] single(byte kind) {
        return single(kind, 0, EMPTY);
    }

    /** Writes an entry at {@code at} of {@code r}; returns where the next one starts. */
    static int put(byte[] r, int at, byte kind, long id, byte[] payload) {
        r[at] = kind;
        LONG_AT.set(r, at + 1, id);
        INT_AT.set(r, at + 9, payload.length);
        System.arraycopy(payload, 0, r, at + ENTRY_HEADER, payload.length);
        return at + ENTRY_HEADER + payload.length;
    }

    /** The bytes one entry with {@code payload} takes in a record. */
    static int size(byte[] payload) {
        return ENTRY_HEADER + payload.length;
    }

    /** A record of several entries (kinds, ids and payloads in parallel, {@code n} of them). */
    static byte[] batch(byte[] kinds, long[] ids, byte[][] payloads, int n) {
        int total = 0;
        for (int i = 0; i < n; i++) {
            total += size(payloads[i]);
        }
        byte[] r = new byte[total];
        int at = 0;
        for (int i = 0; i < n; i++) {
            at = put(r, at, kinds[i], ids[i], payloads[i]);
        }
        return r;
    }

    /** Receives the entries of a record in order. */
    interface EntryHandler {
        /** One entry; its payload is {@code length} bytes of {@code record} from {@code offset}. Return false to stop. */
        boolean entry(byte kind, long id, byte[] record, int offset, int length);
    }

    /** Hands each entry of {@code record} to {@code handler}; false if the handler stopped early. */
    static boolean forEach(byte[] record, EntryHandler handler) {
        int at = 0;
        while (at < record.length) {
            if (record.length - at < ENTRY_HEADER) {
                throw corrupt(record, at);
            }
            byte kind = record[at];
            long id = (long) LONG_AT.get(record, at + 1);
            int len = (int) INT_AT.get(record, at + 9);
            int from = at + ENTRY_HEADER;
            if (len < 0 || len > record.length - from) {
                throw corrupt(record, at);
            }
            if (!handler.entry(kind, id, record, from, len)) {
                return false;
            }
            at = from + len;
        }
        return true;
    }

    /** The payload of an entry as its own array. */
    static byte[] payload(byte[] record, int offset, int length) {
        return Arrays.copyOfRange(record, offset, offset + length);
    }

    private static IllegalStateException corrupt(byte[] record, int at) {
        return new IllegalStateException("corrupt pool record of " + record.length + " bytes at " + at);
    }
}
