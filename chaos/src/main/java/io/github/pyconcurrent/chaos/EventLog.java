package io.github.pyconcurrent.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * The last events of a chaos run (faults struck, children restarted, invariants broken), kept in a
 * fixed ring so a run of any length costs the same memory; printed when a run fails, so the seed
 * and these lines together say what to replay.
 */
final class EventLog {
    static final int DEFAULT_CAPACITY = 200;

    private final String[] ring;
    private final long startNanos;
    private long written;   // guarded by this

    EventLog(int capacity, long startNanos) {
        this.ring = new String[capacity];
        this.startNanos = startNanos;
    }

    /** Records one event, stamped with the seconds since the run began. */
    synchronized void add(String part, String text) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        ring[(int) (written % ring.length)] = String.format("%8.3fs %-8s %s", seconds, part, text);
        written++;
    }

    /** The retained events, oldest first. */
    synchronized List<String> lastEvents() {
        List<String> out = new ArrayList<>();
        long from = Math.max(0, written - ring.length);
        for (long i = from; i < written; i++) {
            out.add(ring[(int) (i % ring.length)]);
        }
        return out;
    }

    /** How many events were ever recorded (the ring keeps the last {@link #DEFAULT_CAPACITY}). */
    synchronized long written() {
        return written;
    }
}
