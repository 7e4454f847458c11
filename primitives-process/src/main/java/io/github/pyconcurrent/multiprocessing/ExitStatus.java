package io.github.pyconcurrent.multiprocessing;

/**
 * Python's exit code convention, in words: {@code 0} ended normally, {@code N > 0} exited with
 * status N (1 after an uncaught exception), {@code -N} was killed by signal N.
 */
final class ExitStatus {
    private static final String[] SIGNALS = {
        null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
    };

    private ExitStatus() {}

    static String signalName(int signal) {
        return signal > 0 && signal < SIGNALS.length ? SIGNALS[signal] : "signal " + signal;
    }

    static String describe(int exitCode) {
        if (exitCode < 0) {
            return "killed by " + signalName(-exitCode) + " (exit code " + exitCode + ")";
        }
        return exitCode == 0 ? "exited normally (exit code 0)" : "exited with status " + exitCode;
    }
}
