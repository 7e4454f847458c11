package io.github.pyconcurrent.multiprocessing;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.github.pyconcurrent.shared.internal.CLibrary;

/**
 * The few libc calls the JDK does not offer, through JNA's direct mapping: the parent-death
 * signal, the parent's pid, sending a signal by number, the descriptor calls that move a child's
 * lifeline pipe off fd 0, and {@code _exit}.
 *
 * <p>Loading JNA costs a fresh JVM far more than the calls themselves (its classes, its native
 * dispatch library, and the binding of these methods: 100–300 ms of CPU measured with
 * {@code perf stat -e task-clock} on a loaded 2-core machine), so a child JVM first touches this
 * class on its lifeline thread, off the path to its target ({@link Lifeline}).
 */
final class Posix {
    static final int SIGKILL = 9;
    static final int SIGTERM = 15;
    private static final int PR_SET_PDEATHSIG = 1;

    static {
        if (!Platform.isLinux()) {
            throw new UnsupportedOperationException("primitives-process needs Linux; this is " + System.getProperty("os.name"));
        }
        Native.register(Posix.class, CLibrary.get());
        ChildExit.libcBound = true;
    }

    private Posix() {}

    private static native int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;

    static native int getppid();

    private static native int kill(int pid, int signal) throws LastErrorException;

    private static native int fcntl(int fd, int command, int arg) throws LastErrorException;

    private static native int open(String path, int flags) throws LastErrorException;

    private static native int dup2(int fd, int to) throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    private static native void _exit(int status);

    private static native int setpriority(int which, int who, int prio) throws LastErrorException;

    private static final int PRIO_PROCESS = 0;
    /** The weakest nice value: such a thread gets a CPU about 1/70 as often as one at nice 0 that wants it. */
    private static final int NICE_WEAKEST = 19;

    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;

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

    /**
     * Gives the calling thread the weakest scheduling priority (nice 19), so that it runs on CPU
     * time nothing else of the machine wants: on Linux a nice value belongs to a thread, and
     * {@code setpriority(PRIO_PROCESS, 0, ...)} sets the caller's only; the process's other
     * threads keep theirs. Raising it back needs privileges, so only background work that may
     * take as long as it likes calls this.
     *
     * @return whether the kernel took it
     */
    static boolean weakestPriorityForThisThread() {
        try {
            setpriority(PRIO_PROCESS, 0, NICE_WEAKEST);
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }

    /**
     * Ends this process at once with {@code status}: no JVM tear-down, as CPython's children end
     * with {@code os._exit} once their own clean-up ran ({@link ChildExit}).
     */
    static void exitNow(int status) {
        _exit(status);
    }
}
