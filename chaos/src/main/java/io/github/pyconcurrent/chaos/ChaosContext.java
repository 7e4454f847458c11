package io.github.pyconcurrent.chaos;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** What every part of one run shares: the options, the event log, the watchdog and the pids the injector killed. */
final class ChaosContext {
    final ChaosOptions options;
    final EventLog log;
    final Watchdog watchdog;
    /** Every pid the injector sent SIGKILL, added before the signal is sent (so a WorkerDiedError never races it). */
    final Set<Long> killedPids = ConcurrentHashMap.newKeySet();

    /**
     * Every child JVM the run saw, by the handle taken while it ran: a handle knows its process's
     * start time, so a pid the kernel has since reused for another process does not count as ours
     * (a 30-minute run goes through thousands of pids).
     */
    final Set<ProcessHandle> children = ConcurrentHashMap.newKeySet();

    ChaosContext(ChaosOptions options, long startNanos) {
        this.options = options;
        this.log = new EventLog(EventLog.DEFAULT_CAPACITY, startNanos);
        this.watchdog = new Watchdog(options.stallBound());
    }

    PartTally tally(String part) {
        return new PartTally(part, log, options.stallBound());
    }

    /** Records a child JVM of the run (its handle, taken now, while it runs). */
    void sawChild(long pid) {
        ProcessHandle.of(pid).ifPresent(children::add);   // a handle's equals() also compares start times
    }

    /** SIGKILLs a child, recording it first; returns whether the process was there to kill. */
    boolean kill(long pid) {
        killedPids.add(pid);
        return Signals.kill(pid);
    }
}
