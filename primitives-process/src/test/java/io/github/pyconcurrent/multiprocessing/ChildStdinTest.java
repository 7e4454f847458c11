package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A child's fd 0 is /dev/null (as Python's children's stdin), its lifeline pipe lives on another
 * descriptor, watched: fd 0 is free for a forking socketserver to hand a client's socket over.
 */
class ChildStdinTest {

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void fdZeroIsDevNullAndTheLifelineIsWatchedElsewhere(String method) {
        Multiprocessing.setStartMethod(method, true);
        try {
            Process p = new Process(() -> {
                if (!Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString().equals("/dev/null")) {
                    System.exit(11);
                }
                long pipes;
                try (var fds = Files.list(Path.of("/proc/self/fd"))) {
                    pipes = fds.filter(fd -> !fd.getFileName().toString().equals("0")).filter(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString().startsWith("pipe:");
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    }).count();
                }
                if (pipes < 1) {
                    System.exit(12); // the lifeline pipe is gone
                }
                boolean watching = Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(t -> t.getName().equals("pyconcurrent-parent-watch") && t.isAlive());
                if (!watching) {
                    System.exit(13);
                }
                if (System.in.read() != -1) {
                    System.exit(14);
                }
            });
            p.start();
            assertTrue(p.join(Duration.ofSeconds(60)));
            assertEquals(0, p.exitCode());
            p.close();
        } finally {
            Multiprocessing.setStartMethod("forkserver", true);
        }
    }
}
