package io.github.pyconcurrent.socketserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pyconcurrent.multiprocessing.Multiprocessing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Nothing a test started may outlive it: no handler thread, no child JVM, no socket file. */
final class Leaks {
    private Leaks() {}

    static void assertNothingLeft(Path dir) throws IOException {
        List<String> threads = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(n -> n.startsWith("socketserver-request-") || n.startsWith("serve-")).toList();
        assertEquals(List.of(), threads, "handler or serving threads left running");
        assertEquals(List.of(), Multiprocessing.activeChildren(), "child JVMs left running");
        if (dir != null) {
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(), files.toList(), "files left in the test's directory");
            }
        }
    }

    /** Sockets open in this JVM (descriptors that are sockets). */
    static long openSockets() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
        }
    }
}
