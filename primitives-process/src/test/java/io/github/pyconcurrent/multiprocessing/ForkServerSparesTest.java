package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.shared.ChildJvm;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The forkserver's spare count follows demand: a burst of starts that outpaces the spares raises
 * it (up to the maximum), idling lowers it again to the minimum and lets the surplus spares go.
 * In a user program JVM of its own, with a short idle period.
 */
class ForkServerSparesTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @Test
    void aBurstGrowsTheSparesAndIdlingShrinksThemBack() {
        List<String> options = List.of("-D" + ForkServer.IDLE_PROPERTY + "=1", "-D" + ForkServer.MAX_SPARES_PROPERTY + "=4");
        try (ChildJvm program = ChildJvm.start(options, UserProgram.class, ChildJvm.encode(() -> {
            ForkServer server = ForkServer.get();
            System.out.println("initial " + server.target());
            List<Process> burst = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Process p = new Process(() -> { });
                p.start();
                burst.add(p);
            }
            System.out.println("after burst " + server.target());
            burst.forEach(Process::join);
            // Idle: the period is one second, and the count falls by one a period.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (server.target() > ForkServer.DEFAULT_SPARES && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            System.out.println("after idling " + server.target());
            // The surplus spares are let go: no more than the target stays.
            deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (server.sparePids().stream().filter(pid -> ProcessHandle.of(pid).isPresent()).count() > server.target()
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            System.out.println("spares " + server.sparePids().size());
        }))) {
            assertEquals(0, program.waitFor(LIMIT), program::output);
            String out = program.stdout();
            assertTrue(out.contains("initial " + ForkServer.DEFAULT_SPARES), out);
            int grown = Integer.parseInt(out.replaceAll("(?s).*after burst (\\d+).*", "$1"));
            assertTrue(grown > ForkServer.DEFAULT_SPARES && grown <= 4, "grown to " + grown + ": " + out);
            assertTrue(out.contains("after idling " + ForkServer.DEFAULT_SPARES), out);
            int left = Integer.parseInt(out.replaceAll("(?s).*spares (\\d+).*", "$1"));
            assertTrue(left <= ForkServer.DEFAULT_SPARES, "spares left " + left + ": " + out);
        }
    }
}
