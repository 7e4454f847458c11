package io.github.pyconcurrent.multiprocessing;

import io.github.pyconcurrent.shared.ChildJvm;

/**
 * A user's program for {@link ChildJvm}: runs a {@link ChildJvm.Task} (passed as
 * {@link ChildJvm#encode}d) and then <em>returns</em> from {@code main}, as a Python script ends by
 * falling off its last line (ChildJvm's own main calls {@code System.exit} instead). What happens
 * next is the toolkit's: non-daemon children keep the JVM alive, daemon ones are terminated.
 */
public final class UserProgram {
    private UserProgram() {}

    public static void main(String[] args) throws Exception {
        ChildJvm.decode(args[0]).run();
    }

    static ChildJvm start(ChildJvm.Task task) {
        return ChildJvm.start(UserProgram.class, ChildJvm.encode(task));
    }

    /** As {@link #start(ChildJvm.Task)}, the program's JVM started with {@code jvmArgs}. */
    static ChildJvm start(java.util.List<String> jvmArgs, ChildJvm.Task task) {
        return ChildJvm.start(jvmArgs, UserProgram.class, ChildJvm.encode(task));
    }
}
