package io.github.pyconcurrent.chaos;

import java.util.List;
import java.util.Random;

/**
 * One workload of a chaos run: it starts its work, offers targets to the injector, and at the end
 * stops, drains and counts. The caller's loop: {@link #start()}; while the run lasts,
 * {@link #strike} and {@link #watch} from the injector's and watchdog's threads and
 * {@link #progress()} from the reporter's; then {@link #stopAndCheck()} once the injector has
 * stopped and every paused child was resumed; then {@link #close()}.
 */
interface Part extends AutoCloseable {
    String name();

    PartTally tally();

    void start();

    /** The faults this part can suffer. */
    List<FaultKind> faultKinds();

    /**
     * Strikes one fault of a kind from {@link #faultKinds()} (not {@link FaultKind#PAUSE});
     * returns what was done, or null when no target is ready now (a child being restarted).
     */
    String strike(FaultKind kind, Random random);

    /** The pids of this part's children that may be paused now. */
    List<Long> pausablePids();

    /** Checks this part's children for operations open longer than the bound. */
    default void watch(long nowNanos) {
    }

    /** Work done so far, for the progress line. */
    String progress();

    /** Stops the workload, waits for what is in flight (bounded), and counts the invariants. */
    void stopAndCheck();

    @Override
    void close();
}
