package io.github.pyconcurrent.multiprocessing;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The few libc calls the JDK does not offer, through JNA's direct mapping: the parent-death
 * signal, the parent's pid, and sending a signal by number.
 */
final class Posix {
    static final int SIGKILL = 9;
    static final int SIGTERM = 15;
    private static final int PR_SET_PDEATHSIG = 1;

    static {
        if (!Platform.isLinux()) {
            throw new UnsupportedOperationException("primitives-process needs Linux; this is " + System.getProperty("os.name"));
        }
        Native.register(Posix.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private Posix() {}

    private static native int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;

    static native int getppid();

    private static native int kill(int pid, int signal) throws LastErrorException;

    /**
     * Asks the kernel to send {@code signal} to this process when the thread that forked it exits
     * (the parent JVM's spawner thread, which lives as long as the parent JVM).
     */
    static void setParentDeathSignal(int signal) {
        prctl(PR_SET_PDEATHSIG, signal, 0, 0, 0);
    }

    /** Sends {@code signal} to {@code pid}; false if there is no such process. */
    static boolean signal(long pid, int signal) {
        try {
            kill((int) pid, signal);
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }
}
