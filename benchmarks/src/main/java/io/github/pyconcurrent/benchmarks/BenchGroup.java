package io.github.pyconcurrent.benchmarks;

import java.util.List;

/**
 * The report's sections, one per module, in the order printed: a benchmark belongs to the group
 * of its package under {@code io.github.pyconcurrent.benchmarks} ({@code threading},
 * {@code shared}, {@code multiprocessing}, {@code futures}, {@code greenlet} and {@code gevent},
 * {@code socketserver}); anything else is {@link #OTHER}. Each group gets its heading in the table
 * and a chart of its own ({@code <name>.png}).
 */
enum BenchGroup {
    THREADING("threading", "threading (primitives-thread)", "threading"),
    SHARED("shared", "shared memory and process-shared locks (primitives-shared)", "shared"),
    PROCESS("process", "multiprocessing (primitives-process)", "multiprocessing"),
    FUTURES("futures", "concurrent.futures (primitives-futures)", "futures"),
    COROUTINE("coroutine", "greenlet and gevent (primitives-coroutine)", "greenlet", "gevent"),
    SOCKETSERVER("socketserver", "socketserver", "socketserver"),
    OTHER("other", "other", new String[0]);

    private static final String BASE = "io.github.pyconcurrent.benchmarks.";

    private final String fileName;
    private final String heading;
    private final List<String> packages;

    BenchGroup(String fileName, String heading, String... packages) {
        this.fileName = fileName;
        this.heading = heading;
        this.packages = List.of(packages);
    }

    /** The group of a JMH benchmark name (or result key). */
    static BenchGroup of(String benchmark) {
        String pkg = packageOf(benchmark);
        for (BenchGroup group : values()) {
            if (group.packages.contains(pkg)) {
                return group;
            }
        }
        return OTHER;
    }

    /**
     * The package of a benchmark below {@code io.github.pyconcurrent.benchmarks} ({@code threading}
     * for {@code ...benchmarks.threading.LockBenchmark.lock}), or {@code ""} for one elsewhere.
     */
    static String packageOf(String benchmark) {
        if (!benchmark.startsWith(BASE)) {
            return "";
        }
        String rest = benchmark.substring(BASE.length());
        int dot = rest.indexOf('.');
        return dot < 0 ? "" : rest.substring(0, dot);
    }

    /** The short name, used for the chart's file ({@code threading.png}). */
    String fileName() {
        return fileName;
    }

    /** The section heading of the table. */
    String heading() {
        return heading;
    }

    /** The benchmark packages (the last segment) that make up this group. */
    List<String> packages() {
        return packages;
    }
}
