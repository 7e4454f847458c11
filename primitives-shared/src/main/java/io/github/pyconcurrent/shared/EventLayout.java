package io.github.pyconcurrent.shared;

/**
 * The shared words of an {@link Event}, offsets from its base.
 *
 * <pre>
 *   0   int  STATE     (generation &lt;&lt; 1) | flag. set() raises the flag and bumps the generation
 *                      in one CAS; clear() drops the flag. The futex word. A waiter that saw the
 *                      generation change knows a set() happened while it waited, even if a
 *                      clear() followed.
 *   4   int  SLEEPERS  threads of any process sleeping (or about to) on STATE
 *   8..63    padding
 * </pre>
 */
final class EventLayout {
    static final int STATE = 0;
    static final int SLEEPERS = 4;
    static final int SIZE = 64;

    private EventLayout() {}
}
