package probe;

import io.github.pyconcurrent.multiprocessing.SerializableCallable;

/** A user's class outside the toolkit's packages, so outside a cluster's default allowlist. */
public final class Probe {
    private Probe() {}

    /** A task whose lambda was written by this class: it arrives naming {@code probe.Probe}. */
    public static SerializableCallable<Integer> task() {
        return () -> 42;
    }
}
