package io.github.pyconcurrent.benchmarks.socketserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's CPU time and resident set as Linux reports them in {@code /proc/PID}: the load
 * rows' "server CPU per request" is {@link #cpuTicks} over the measured window divided by the
 * requests, and "memory per idle connection" is a difference of {@link #rssBytes} readings.
 * CPU time counts every thread of the process (JIT and GC included: they are the server's cost).
 *
 * <pre>{@code
 * long before = ProcStat.cpuTicks(pid); ...; double cpuNanos = ProcStat.ticksToNanos(ProcStat.cpuTicks(pid) - before);
 * }</pre>
 */
public final class ProcStat {
    /**
     * The kernel's clock ticks per second ({@code getconf CLK_TCK}): 100 on every Linux this runs
     * on (USER_HZ is fixed at 100 in the kernel's ABI for x86 and arm64).
     */
    public static final long TICKS_PER_SECOND = 100;

    private ProcStat() {}

    /** utime + stime of {@code pid} in clock ticks; -1 when it cannot be read (the process is gone). */
    public static long cpuTicks(long pid) {
        try {
            return cpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException | IllegalArgumentException e) {
            return -1;
        }
    }

    /**
     * utime + stime (fields 14 and 15, counted from 1) of one {@code /proc/PID/stat} line. The
     * second field, the command in parentheses, may itself hold spaces and parentheses, so the
     * fields are counted from its last {@code ')'}.
     *
     * @throws IllegalArgumentException the line is not in that format
     */
    static long cpuTicks(String statLine) {
        int close = statLine.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + statLine);
        }
        // After ") " come field 3 (state), 4, ...: utime is field 14, the 12th of them.
        String[] rest = statLine.substring(close + 1).strip().split("\\s+");
        if (rest.length < 13) {
            throw new IllegalArgumentException("too few fields in /proc/PID/stat: " + statLine);
        }
        try {
            return Long.parseLong(rest[11]) + Long.parseLong(rest[12]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad utime/stime in /proc/PID/stat: " + statLine, e);
        }
    }

    /** Clock ticks as nanoseconds. */
    public static double ticksToNanos(long ticks) {
        return ticks * (1e9 / TICKS_PER_SECOND);
    }

    /** VmRSS of {@code pid} in bytes, or NaN when it cannot be read. */
    public static double rssBytes(long pid) {
        try {
            return rssBytes(Files.readAllLines(Path.of("/proc/" + pid + "/status")));
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** VmRSS (kB in the file) of {@code /proc/PID/status}'s lines, in bytes; NaN when absent. */
    static double rssBytes(Iterable<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith("VmRSS:")) {
                try {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
            }
        }
        return Double.NaN;
    }
}
