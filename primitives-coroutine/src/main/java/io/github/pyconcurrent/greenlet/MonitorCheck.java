package io.github.pyconcurrent.greenlet;

import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * Opt-in detection of the monitor pitfall: a greenlet that switches out inside
 * {@code synchronized} keeps the monitor while suspended, and the next greenlet of its thread that
 * enters it deadlocks the thread. With the system property {@value #PROPERTY}{@code =true}, such a
 * switch throws {@link GreenletError} instead (and nothing is switched).
 *
 * <p>Off by default because it costs tens of microseconds per switch (a thread dump of the
 * current thread). Continuation backend only: the JDK's thread dump does not cover virtual
 * threads, so the virtual-thread backend cannot check.
 */
final class MonitorCheck {
    static final String PROPERTY = "pyconcurrent.greenlet.checkMonitors";

    /** Read once from the property; tests flip it on their own thread. */
    static boolean enabled = Boolean.getBoolean(PROPERTY);

    private MonitorCheck() {}

    /** Throws when the running greenlet's own frames hold a monitor. */
    static void assertNoMonitorHeld() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ThreadInfo info = mx.getThreadInfo(new long[] {Thread.currentThread().threadId()}, true, false)[0];
        if (info == null) {
            return;
        }
        // Only frames above the continuation's entry belong to the greenlet.
        StackTraceElement[] stack = info.getStackTrace();
        int entry = stack.length;
        for (int i = 0; i < stack.length; i++) {
            if ("jdk.internal.vm.Continuation".equals(stack[i].getClassName())) {
                entry = i;
                break;
            }
        }
        for (MonitorInfo m : info.getLockedMonitors()) {
            if (m.getLockedStackDepth() < entry) {
                throw new GreenletError("cannot switch out of a greenlet while it holds the monitor of "
                        + m.getClassName() + "@" + Integer.toHexString(m.getIdentityHashCode())
                        + " (locked in " + m.getLockedStackFrame() + "): another greenlet of this"
                        + " thread entering it would deadlock the thread");
            }
        }
    }
}
