package io.github.pyconcurrent.chaos;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The signals the injector sends. SIGKILL goes through {@link ProcessHandle#destroyForcibly()};
 * the JDK has no SIGSTOP/SIGCONT, so those run {@code kill -STOP}/{@code kill -CONT} (a rare,
 * short-lived process: a few per second at most).
 */
final class Signals {
    private Signals() {
    }

    /** SIGKILL; false when the process was already gone. */
    static boolean kill(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false);
    }

    static boolean stop(long pid) {
        return send("-STOP", pid);
    }

    static boolean cont(long pid) {
        return send("-CONT", pid);
    }

    private static boolean send(String signal, long pid) {
        try {
            java.lang.Process p = new ProcessBuilder("kill", signal, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not run kill " + signal + " " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
