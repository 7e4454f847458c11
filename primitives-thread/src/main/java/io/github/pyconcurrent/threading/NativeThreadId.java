package io.github.pyconcurrent.threading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the calling thread's operating-system id, for {@link Thread#nativeId()} (Python's
 * {@code threading.get_native_id()}). The JDK has no API for it; on Linux the kernel's
 * {@code /proc/thread-self} link ({@code PID/task/TID}, Linux 3.17+) names it without native
 * code. Elsewhere, or if that fails once, it reports 0 and callers fall back to the Java id.
 */
final class NativeThreadId {
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");
    /** False once reading failed: do not pay for a failing syscall on every thread start. */
    private static volatile boolean available = Files.isSymbolicLink(THREAD_SELF);

    private NativeThreadId() {}

    /** The calling thread's OS id, or 0 if unknown. */
    static long current() {
        if (!available) {
            return 0L;
        }
        try {
            String link = Files.readSymbolicLink(THREAD_SELF).toString();
            return Long.parseLong(link.substring(link.lastIndexOf('/') + 1));
        } catch (IOException | RuntimeException e) {
            available = false;
            return 0L;
        }
    }
}
