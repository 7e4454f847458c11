package io.github.pyconcurrent.chaos;

import com.sun.jna.Function;
import io.github.pyconcurrent.shared.internal.CLibrary;

/**
 * The signals the injector sends, by the C library's {@code kill(2)} (through the toolkit's JNA
 * binding): the JDK sends only SIGTERM and SIGKILL. (Running {@code kill -CONT} as a process was
 * tried first: now and then a resume never happened and the paused writer wedged the others.)
 */
final class Signals {
    /** Linux's numbers (x86-64 and arm64 alike). */
    static final int SIGKILL = 9;
    static final int SIGCONT = 18;
    static final int SIGSTOP = 19;

    private static final Function KILL = CLibrary.get().getFunction("kill");

    private Signals() {
    }

    /** SIGKILL; false when the process was already gone. */
    static boolean kill(long pid) {
        return send(pid, SIGKILL);
    }

    static boolean stop(long pid) {
        return send(pid, SIGSTOP);
    }

    static boolean cont(long pid) {
        return send(pid, SIGCONT);
    }

    private static boolean send(long pid, int signal) {
        if (pid <= 0) {
            throw new IllegalArgumentException("not a single process: pid " + pid);
        }
        return KILL.invokeInt(new Object[] {(int) pid, signal}) == 0;
    }
}
