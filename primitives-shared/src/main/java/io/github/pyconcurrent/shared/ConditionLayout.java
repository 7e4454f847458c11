package io.github.pyconcurrent.shared;

/**
 * The shared words of a {@link Condition}, offsets from its base.
 *
 * <pre>
 *   0   int   SEQUENCE  bumped by every notify; the futex word waiters sleep on
 *   8   long  WAITERS_TOKENS  high 32 bits: registered waiters; low 32 bits: notifications not yet
 *                       taken. One word, so the invariant tokens &lt;= waiters holds in every CAS.
 *   16..63    padding
 *   64..127   the condition's own RLock ({@link LockLayout}) when none was given
 * </pre>
 */
final class ConditionLayout {
    static final int SEQUENCE = 0;
    static final int WAITERS_TOKENS = 8;
    static final int SIZE = 64;
    static final int OWN_LOCK = 64;
    static final int SIZE_WITH_OWN_LOCK = OWN_LOCK + LockLayout.SIZE;
    static final long ONE_WAITER = 1L << 32;

    private ConditionLayout() {}
}
