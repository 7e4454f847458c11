package io.github.pyconcurrent.shared;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.github.pyconcurrent.shared.internal.CLibrary;

/**
 * The Linux futex, called through JNA's direct mapping ({@link Native#register}: several times
 * cheaper than an interface mapping). Only the two operations the primitives need: wait while a
 * 32-bit word still holds an expected value, and wake.
 *
 * <p>The futexes are <em>shared</em>: {@code FUTEX_PRIVATE_FLAG} is deliberately absent, because
 * the words live in memory mapped by several processes and the kernel must key the wait queue by
 * the physical page, not by this process's address space.
 *
 * <p>Callers loop: a return from {@link #await} means "look again" (woken, the value had already
 * changed, a signal, or the timeout), never "the condition holds".
 */
final class Futex {
    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int ETIMEDOUT = 110;
    private static final long SYS_FUTEX;

    static {
        if (!Platform.isLinux()) {
            throw new UnsupportedOperationException("process-shared primitives need Linux futexes; this is " + System.getProperty("os.name"));
        }
        // The futex syscall number is per architecture (arch/*/entry/syscalls).
        SYS_FUTEX = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> 202;
            case "aarch64" -> 98;
            default -> throw new UnsupportedOperationException("no futex syscall number known for " + System.getProperty("os.arch"));
        };
        Native.register(Futex.class, CLibrary.get());
    }

    /** A timespec per thread, so a timed wait allocates nothing. */
    private static final ThreadLocal<Memory> TIMESPEC = ThreadLocal.withInitial(() -> new Memory(16));

    private Futex() {}

    /** glibc's variadic {@code syscall(2)}; every argument is passed as a register-sized long. */
    private static native long syscall(long number, long uaddr, long op, long val, long timeout, long uaddr2, long val3)
            throws LastErrorException;

    /**
     * Sleeps while the int at {@code address} equals {@code expected}, at most {@code timeoutNanos}
     * (which must be positive). Returns {@code false} if the timeout elapsed, {@code true} otherwise
     * (woken, value already different, or interrupted by a signal: the caller re-checks).
     */
    static boolean await(long address, int expected, long timeoutNanos) {
        Memory ts = TIMESPEC.get();
        ts.setLong(0, timeoutNanos / 1_000_000_000L);
        ts.setLong(8, timeoutNanos % 1_000_000_000L);
        try {
            syscall(SYS_FUTEX, address, FUTEX_WAIT, expected, Memory.nativeValue(ts), 0, 0);
            return true;
        } catch (LastErrorException e) {
            return switch (e.getErrorCode()) {
                case ETIMEDOUT -> false;
                case EAGAIN, EINTR -> true;
                default -> throw new IllegalStateException("futex wait failed: errno " + e.getErrorCode(), e);
            };
        }
    }

    /** Wakes at most {@code count} waiters on the word at {@code address}; returns how many woke. */
    static int wake(long address, int count) {
        try {
            return (int) syscall(SYS_FUTEX, address, FUTEX_WAKE, count, 0, 0, 0);
        } catch (LastErrorException e) {
            throw new IllegalStateException("futex wake failed: errno " + e.getErrorCode(), e);
        }
    }
}
