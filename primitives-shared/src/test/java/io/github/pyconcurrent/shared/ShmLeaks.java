package io.github.pyconcurrent.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

/** Test helper: "nothing of ours is left in /dev/shm that should not be there". */
final class ShmLeaks {
    private ShmLeaks() {}

    /**
     * Sweeps what killed children left (a test that kills a child on purpose leaves its files for
     * the sweep), then asserts no stray remains: no file of a dead creator, and no file of this
     * JVM that it no longer owns.
     */
    static void assertNoStrays() {
        ShmRegistry.sweep();
        assertEquals(List.of(), ShmRegistry.strays(), "files left in " + ShmRegistry.DIR);
    }
}
