package io.github.pyconcurrent.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one part of a chaos run did and suffered, and whether its promises held: the row of the
 * result table. Parts count acknowledged work as it happens; at the end they state what was lost
 * and duplicated, with how much of each the faults they suffered can explain (the allowance);
 * the verdict is the one rule every part shares.
 */
final class PartTally {
    final String part;
    private final EventLog log;
    private final Duration stallBound;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong longestStallNanos = new AtomicLong();
    private final Map<FaultKind, Long> faults = new EnumMap<>(FaultKind.class);   // guarded by this
    private final List<String> violations = new ArrayList<>();                   // guarded by this
    private long lost;                  // guarded by this
    private long lostAllowed;           // guarded by this
    private long duplicated;            // guarded by this
    private long duplicatedAllowed;     // guarded by this
    private String note = "";           // guarded by this
    private String longestStallWhat = "";   // guarded by this

    PartTally(String part, EventLog log, Duration stallBound) {
        this.part = part;
        this.log = log;
        this.stallBound = stallBound;
    }

    void acknowledged(long n) {
        acknowledged.addAndGet(n);
    }

    long acknowledged() {
        return acknowledged.get();
    }

    synchronized void fault(FaultKind kind) {
        faults.merge(kind, 1L, Long::sum);
    }

    synchronized long faults(FaultKind kind) {
        return faults.getOrDefault(kind, 0L);
    }

    synchronized Map<FaultKind, Long> faults() {
        Map<FaultKind, Long> copy = new EnumMap<>(FaultKind.class);
        copy.putAll(faults);
        return copy;
    }

    /** A caller of this part was blocked this long (a call that ended, or one still open). */
    void stalled(long nanos, String what) {
        if (longestStallNanos.accumulateAndGet(nanos, Math::max) == nanos) {
            synchronized (this) {
                longestStallWhat = what;
            }
        }
    }

    /** What the longest stall was blocked in. */
    synchronized String longestStallWhat() {
        return longestStallWhat;
    }

    long longestStallNanos() {
        return longestStallNanos.get();
    }

    /** A broken promise, seen as it happened: recorded, logged, and the verdict fails. */
    synchronized void violation(String what) {
        violations.add(what);
        log.add(part, "VIOLATION: " + what);
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /**
     * The end count: {@code lost} acknowledged units not found, of which the faults explain at most
     * {@code lostAllowed}; {@code duplicated} found more than once (or beyond the acknowledged),
     * of which at most {@code duplicatedAllowed} are explained (a write replayed after a kill).
     */
    synchronized void counted(long lost, long lostAllowed, long duplicated, long duplicatedAllowed) {
        this.lost = lost;
        this.lostAllowed = lostAllowed;
        this.duplicated = duplicated;
        this.duplicatedAllowed = duplicatedAllowed;
    }

    synchronized long lost() {
        return lost;
    }

    synchronized long duplicated() {
        return duplicated;
    }

    synchronized long lostAllowed() {
        return lostAllowed;
    }

    synchronized long duplicatedAllowed() {
        return duplicatedAllowed;
    }

    /** A short remark for the table (what the allowance is, what else was counted). */
    synchronized void note(String note) {
        this.note = note;
    }

    synchronized String note() {
        return note;
    }

    /** Every reason this part failed; empty when all its invariants held. */
    synchronized List<String> failures() {
        List<String> out = new ArrayList<>(violations);
        if (lost > lostAllowed) {
            out.add(lost + " acknowledged lost (at most " + lostAllowed + " explained by kills)");
        }
        if (duplicated > duplicatedAllowed) {
            out.add(duplicated + " duplicated (at most " + duplicatedAllowed + " explained by kills mid-operation)");
        }
        if (longestStallNanos.get() > stallBound.toNanos()) {
            out.add(String.format("a caller blocked %.1f s, beyond the %d s bound (%s)",
                    longestStallNanos.get() / 1e9, stallBound.toSeconds(), longestStallWhat()));
        }
        return out;
    }

    boolean ok() {
        return failures().isEmpty();
    }
}
