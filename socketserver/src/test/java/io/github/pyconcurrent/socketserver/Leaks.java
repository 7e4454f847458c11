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
        // A joined platform-thread handler's Java thread is parked for reuse (primitives-thread's
        // ThreadReuse) and renamed after its join returns, a moment later: that is not a leak.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        List<String> threads;
        while (!(threads = handlerThreads()).isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
            Thread.yield();
        }
        assertEquals(List.of(), threads, "handler or serving threads left running");
        assertEquals(List.of(), Multiprocessing.activeChildren(), "child JVMs left running");
        if (dir != null) {
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(), files.toList(), "files left in the test's directory");
            }
        }
    }

    private static List<String> handlerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(n -> n.startsWith("socketserver-request-") || n.startsWith("serve-")).toList();
    }

    /** The inodes of the sockets open in this JVM. */
    static java.util.Set<String> socketInodes() throws IOException {
        java.util.Set<String> inodes = new java.util.HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return inodes;
    }

    /**
     * The sockets opened since {@code before} that a server could have leaked: TCP/UDP ones, and
     * Unix ones bound under {@code dir}. (The toolkit's own control connections to warm spare JVMs
     * come and go on their own schedule and are not counted.)
     */
    static List<String> leakedSockets(java.util.Set<String> before, Path dir) throws IOException {
        java.util.Set<String> fresh = new java.util.HashSet<>(socketInodes());
        fresh.removeAll(before);
        List<String> leaked = new java.util.ArrayList<>();
        for (String table : new String[] {"tcp", "tcp6", "udp", "udp6"}) {
            for (String line : Files.readAllLines(Path.of("/proc/self/net/" + table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && fresh.contains(f[9])) {
                    leaked.add(table + " " + line.trim());
                }
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/net/unix"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 7 && fresh.contains(f[6]) && f[7].startsWith(dir.toString())) {
                leaked.add("unix " + line.trim());
            }
        }
        return leaked;
    }
}
