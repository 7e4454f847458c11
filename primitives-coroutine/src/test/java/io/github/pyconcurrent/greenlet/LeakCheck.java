package io.github.pyconcurrent.greenlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Leak checks for greenlet tests: no greenlet virtual thread outlives a test. */
public final class LeakCheck {
    private LeakCheck() {}

    /** Fails when a greenlet of the virtual-thread backend is still started and unfinished. */
    public static void assertNoGreenletThreads() {
        assertEquals(0, VirtualThreadBackend.liveThreads(), "greenlet virtual threads still alive");
    }
}
