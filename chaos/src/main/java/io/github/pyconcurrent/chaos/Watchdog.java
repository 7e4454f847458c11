package io.github.pyconcurrent.chaos;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every blocking call a part makes in this JVM is opened here and closed when it returns, so a
 * call that never returns is seen too: {@link #scan} reports each call open longer than the bound
 * once, while it is still stuck. Children's operations are watched by their parts (see
 * {@link Part#watch}).
 */
final class Watchdog {
    private record Call(PartTally tally, String what, long startNanos) {
    }

    private final Duration bound;
    private final Map<Long, Call> open = new ConcurrentHashMap<>();
    private final Map<Long, Boolean> reported = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    Watchdog(Duration bound) {
        this.bound = bound;
    }

    Duration bound() {
        return bound;
    }

    /** Opens a call; returns its ticket for {@link #end}. */
    long begin(PartTally tally, String what) {
        long id = ids.incrementAndGet();
        open.put(id, new Call(tally, what, System.nanoTime()));
        return id;
    }

    /** Closes a call, recording how long it blocked; returns that time in nanoseconds (0 if unknown). */
    long end(long ticket) {
        Call c = open.remove(ticket);
        reported.remove(ticket);
        if (c == null) {
            return 0;
        }
        long nanos = System.nanoTime() - c.startNanos;
        c.tally.stalled(nanos, c.what);
        return nanos;
    }

    /** Reports, once each, the calls open longer than the bound. */
    void scan(long nowNanos) {
        open.forEach((id, c) -> {
            long nanos = nowNanos - c.startNanos;
            if (nanos > bound.toNanos() && reported.putIfAbsent(id, Boolean.TRUE) == null) {
                c.tally.stalled(nanos, c.what);
                c.tally.violation(c.what + " still blocked after " + bound.toSeconds() + " s");
            }
        });
    }

    int openCalls() {
        return open.size();
    }
}
