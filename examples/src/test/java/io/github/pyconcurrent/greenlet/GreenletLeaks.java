package io.github.pyconcurrent.greenlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The coroutine examples' leak check (primitives-coroutine's LeakCheck is a test class there):
 * no greenlet virtual thread outlives a test. It sits in the greenlet package to read the
 * backend's package-private count.
 */
public final class GreenletLeaks {
    private GreenletLeaks() {}

    /** Fails when a greenlet of the virtual-thread backend is still started and unfinished. */
    public static void assertNone() {
        assertEquals(0, VirtualThreadBackend.liveThreads(), "greenlet virtual threads still alive");
    }
}
