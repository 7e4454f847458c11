package io.github.pyconcurrent.multiprocessing;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The few libc calls the JDK does not offer, through JNA's direct mapping: the parent-death
 * signal, the parent's pid, sending a signal by number, and the descriptor calls that move a
 * child's lifeline pipe off fd 0.
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

    private static native int fcntl(int fd, int command, int arg) throws LastErrorException;

    private static native int open(String path, int flags) throws LastErrorException;

    private static native int dup2(int fd, int to) throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    private static native long read(int fd, byte[] buf, long count) throws LastErrorException;

    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int EINTR = 4;

    /**
     * Moves what fd 0 is onto a new close-on-exec descriptor, returned, and points fd 0 at
     * /dev/null: fd 0 is then free for other uses (a forking socketserver's child puts the
     * client's socket there for {@code System.inheritedChannel()}).
     */
    static int moveStdinAway() {
        int moved = fcntl(0, F_DUPFD_CLOEXEC, 3);
        int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
        dup2(devnull, 0);
        close(devnull);
        return moved;
    }

    /** Blocks until {@code fd} reaches end of file or fails (what is read is discarded). */
    static void drainUntilEof(int fd) {
        byte[] buf = new byte[64];
        while (true) {
            try {
                if (read(fd, buf, buf.length) <= 0) {
                    return;
                }
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    return;
                }
            }
        }
    }

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
