package io.github.pyconcurrent.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pyconcurrent.shared.internal.ShmRegistry;
import java.nio.file.Path;
import java.util.List;

/** Test helper: "nothing of ours is left in /dev/shm that should not be there". */
final class ShmLeaks {
    private ShmLeaks() {}

    /**
     * Sweeps what killed children left (a test that kills a child on purpose leaves its files for
     * the sweep), then asserts no stray remains: no file of a dead creator, and no file of this
     * JVM that it no longer owns. A few rounds, because other JVMs on the machine (parallel
     * builds) may die and leave files between a sweep and the check; a file of this JVM that is
     * not registered stays a stray in every round.
     */
    static void assertNoStrays() {
        List<Path> strays = List.of();
        for (int round = 0; round < 3; round++) {
            ShmRegistry.sweep();
            strays = ShmRegistry.strays();
            if (strays.isEmpty()) {
                return;
            }
        }
        assertEquals(List.of(), strays, "files left in " + ShmRegistry.DIR);
    }
}
