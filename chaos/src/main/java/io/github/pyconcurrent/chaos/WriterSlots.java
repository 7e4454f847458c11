package io.github.pyconcurrent.chaos;

import io.github.pyconcurrent.shared.Array;

import java.io.Serializable;

/**
 * The shared words through which the counter writers (child JVMs) tell the parent what they have
 * done: one {@code 'q'} {@link Array}, word {@link #STOP} first, then {@value #STRIDE} words per
 * writer at these offsets. Each writer's words are written by that writer only (a replacement
 * takes its slot over after the parent reset the phase), so plain reads and writes suffice: an
 * aligned 8-byte store is atomic.
 */
record WriterSlots(Array words) implements Serializable {
    /** 1 tells every writer to finish its current operation and exit. */
    static final int STOP = 0;
    /** Acknowledged dict merges: the writer counts one after {@code merge} returned. */
    static final int ACK_MERGE = 0;
    /** Acknowledged Array increments: counted under the Lock, after the increment. */
    static final int ACK_ARRAY = 1;
    /** {@code System.nanoTime()} (CLOCK_MONOTONIC: one clock for every process) when the current operation began; 0 between operations. */
    static final int OP_START = 2;
    /** {@link #IDLE}, {@link #MERGING} or {@link #HOLDING_LOCK}: what the injector waits for before it kills. */
    static final int PHASE = 3;
    /** Merges that failed with DictLockTimeoutException (a live holder paused past the lock timeout): not acknowledged. */
    static final int TIMEOUTS = 4;
    static final int STRIDE = 5;

    static final long IDLE = 0;
    static final long MERGING = 1;
    static final long HOLDING_LOCK = 2;

    static WriterSlots create(int writers) {
        return new WriterSlots(Array.ofSize('q', 1 + writers * STRIDE, false));
    }

    long get(int writer, int field) {
        return words.getLong(1 + writer * STRIDE + field);
    }

    void set(int writer, int field, long v) {
        words.setLong(1 + writer * STRIDE + field, v);
    }

    void increment(int writer, int field) {
        set(writer, field, get(writer, field) + 1);
    }

    boolean stopped() {
        return words.getLong(STOP) != 0;
    }

    void stop() {
        words.setLong(STOP, 1);
    }
}
