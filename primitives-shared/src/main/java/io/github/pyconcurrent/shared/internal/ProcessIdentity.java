package io.github.pyconcurrent.shared.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Who a process is, in a form that survives pid reuse: its pid together with its start time
 * (field 22 of {@code /proc/PID/stat}, clock ticks since boot). Packed into one 64-bit
 * <em>owner word</em> so a lock word can name its owner atomically.
 *
 * <p>Liveness is read from {@code /proc/PID/stat}, never from {@code kill(pid, 0)} or
 * {@link ProcessHandle#isAlive()}: both report a zombie (a killed but not yet reaped process) as
 * alive, and a waiter must not wait for a zombie. A process is dead when its stat file is missing,
 * its state is {@code Z} or {@code X}, or its start time differs (the pid was reused; pid_max is
 * 32768 on this kind of machine).
 *
 * <p>Owner word layout (bit 0 is always 0, so an owner word is never 0 and never odd):
 * <pre>
 *   bits 63..23  start time, low 41 bits (clock ticks; 2^41 ticks at 100 Hz = ~697 years)
 *   bits 22..1   pid (22 bits: the kernel's PID_MAX_LIMIT is 2^22)
 *   bit  0       0
 * </pre>
 *
 * <p>Not API: public only so that the toolkit's other modules (the process module's rings and
 * child start-up, socketserver's hand-over directory) can reach it.
 */
public final class ProcessIdentity {
    private static final long START_MASK = (1L << 41) - 1;
    private static final int PID_MASK = (1 << 22) - 1;

    /** This JVM's pid. */
    public static final int PID = (int) ProcessHandle.current().pid();
    /** This JVM's start time in clock ticks since boot (field 22 of /proc/self/stat). */
    public static final long START_TICKS = startTicks(PID);
    /** This JVM's owner word. */
    public static final long SELF = ownerWord(PID, START_TICKS);

    private ProcessIdentity() {}

    /**
     * Packs a pid and a start time into an owner word (see the class comment).
     *
     * @param pid the process id
     * @param startTicks the process's start time, in clock ticks since boot
     * @return the owner word
     */
    public static long ownerWord(int pid, long startTicks) {
        return ((startTicks & START_MASK) << 23) | ((long) (pid & PID_MASK) << 1);
    }

    /**
     * Returns the pid an owner word names.
     *
     * @param ownerWord an owner word
     * @return its pid
     */
    public static int pidOf(long ownerWord) {
        return (int) ((ownerWord >>> 1) & PID_MASK);
    }

    /**
     * Returns the start time an owner word names (its low 41 bits).
     *
     * @param ownerWord an owner word
     * @return its start time, in clock ticks since boot
     */
    public static long startOf(long ownerWord) {
        return ownerWord >>> 23;
    }

    /**
     * The start time of a running process, or -1 if there is no such process or it is a zombie
     * (state Z) or dead (X).
     *
     * @param pid the process id
     * @return its start time in clock ticks since boot, or -1
     */
    public static long startTicks(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            // ESRCH while reading a process that is exiting: it is gone.
            return -1;
        }
        // The command name (field 2) is in parentheses and may hold spaces or ')': cut at the last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return -1;
        }
        String[] fields = stat.substring(close + 2).split(" ");
        // fields[0] is field 3 (state), so field 22 is fields[19].
        char state = fields[0].charAt(0);
        if (state == 'Z' || state == 'X' || state == 'x') {
            return -1;
        }
        return Long.parseLong(fields[19]);
    }

    /**
     * Whether the process with this pid and start time is alive (not gone, not a zombie, not reused).
     *
     * @param pid the process id
     * @param startTicks the start time it must still have
     * @return true if that process runs
     */
    public static boolean isAlive(int pid, long startTicks) {
        long now = startTicks(pid);
        return now >= 0 && (now & START_MASK) == (startTicks & START_MASK);
    }

    /**
     * Whether the process an owner word names is alive.
     *
     * @param ownerWord an owner word
     * @return true if the process it names runs
     */
    public static boolean isAlive(long ownerWord) {
        if (ownerWord == SELF) {
            return true;
        }
        return isAlive(pidOf(ownerWord), startOf(ownerWord));
    }

    /**
     * A short human-readable form, for messages.
     *
     * @param ownerWord an owner word
     * @return its pid and start time, for a message
     */
    public static String describe(long ownerWord) {
        return "pid " + pidOf(ownerWord) + " (start " + startOf(ownerWord) + ")";
    }
}
