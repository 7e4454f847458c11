package io.github.pyconcurrent.shared;

/**
 * The shared state of a {@link Barrier}, offsets from its base: a {@link Lock} and a
 * {@link Condition} over it guard three ints, read and written only with the lock held.
 *
 * <pre>
 *   0     the barrier's Lock   ({@link LockLayout}, 64 bytes)
 *   64    its Condition        ({@link ConditionLayout}, 64 bytes)
 *   128   int  STATE    FILLING 0, DRAINING 1, RESETTING -1, BROKEN -2 (Python's _state)
 *   132   int  COUNT    parties inside waitFor now
 *   136   int  PARTIES
 *   140..191  padding
 * </pre>
 */
final class BarrierLayout {
    static final int LOCK = 0;
    static final int CONDITION = 64;
    static final int STATE = 128;
    static final int COUNT = 132;
    static final int PARTIES = 136;
    static final int SIZE = 192;

    static final int FILLING = 0;
    static final int DRAINING = 1;
    static final int RESETTING = -1;
    static final int BROKEN = -2;

    private BarrierLayout() {}
}
