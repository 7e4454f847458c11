package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pyconcurrent.shared.internal.ShmRegistry;
import java.nio.file.Path;
import java.util.List;

/** Test helper: nothing of a test may outlive it, neither a child JVM nor a file in /dev/shm. */
final class Leaks {
    private Leaks() {}

    static void assertNothingLeft() {
        // Forkserver spares are the toolkit's, waiting for the next start(): not a test's leak.
        java.util.Set<Long> spares = ForkServer.get().sparePids();
        assertEquals(List.of(), ProcessHandle.current().children()
                        .filter(p -> p.isAlive() && !spares.contains(p.pid())).toList(),
                "no child process may outlive the tests");
        // Rings of this JVM are unlinked by their close(); killed children own no ring here.
        List<Path> rings = ShmRegistry.owned().stream().filter(p -> p.getFileName().toString().startsWith("pyconc.q")).toList();
        assertEquals(List.of(), rings, "queue/pipe segments still owned");
        List<Path> strays = List.of();
        for (int round = 0; round < 3 && !(strays = sweepAndList()).isEmpty(); round++) {
            // other JVMs on the machine may die between a sweep and the check
        }
        assertEquals(List.of(), strays, "files left in " + ShmRegistry.DIR);
    }

    private static List<Path> sweepAndList() {
        ShmRegistry.sweep();
        return ShmRegistry.strays();
    }
}
