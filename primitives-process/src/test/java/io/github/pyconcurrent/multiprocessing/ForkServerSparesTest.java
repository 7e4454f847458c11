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

    /**
     * A spare preloads Chronicle Map only once its parent has used a SharedDict (Python's
     * forkserver preloads only what it is told to): it costs a spare about 1.3 s of CPU more.
     */
    @Test
    void sparesPreloadChronicleOnlyAfterTheParentUsedASharedDict() {
        try (ChildJvm program = ChildJvm.start(List.of(), UserProgram.class, ChildJvm.encode(() -> {
            ForkServer server = ForkServer.get();
            Multiprocessing.warmUp();
            if (!Multiprocessing.warmUp(LIMIT)) {
                throw new IllegalStateException("spares not warm within " + LIMIT);
            }
            System.out.println("before " + server.warmSteps());
            try (io.github.pyconcurrent.shared.Manager manager = io.github.pyconcurrent.shared.Manager.start()) {
                manager.dict(String.class, Integer.class).put("used", 1);
            }
            // Use up the spares started before the dict was: their replacements start after it.
            java.util.Set<Long> old = new java.util.HashSet<>(server.sparePids());
            for (int i = 0; i < 20 && server.sparePids().stream().anyMatch(old::contains); i++) {
                Process p = new Process(() -> { });
                p.start();
                p.join();
            }
            if (!Multiprocessing.warmUp(LIMIT)) {
                throw new IllegalStateException("spares not warm within " + LIMIT);
            }
            System.out.println("after " + server.warmSteps());
        }))) {
            assertEquals(0, program.waitFor(LIMIT), program::output);
            String out = program.stdout();
            String none = Integer.toString(0);
            String chronicle = Integer.toString(Warmup.CHRONICLE_STEP);
            List<String> before = List.of(out.replaceAll("(?s).*before \\[([^]]*)].*", "$1").split(",\\s*"));
            List<String> after = List.of(out.replaceAll("(?s).*after \\[([^]]*)].*", "$1").split(",\\s*"));
            assertTrue(!before.isEmpty() && before.stream().allMatch(none::equals), out);
            assertTrue(!after.isEmpty() && after.stream().allMatch(chronicle::equals), out);
        }
    }
}
