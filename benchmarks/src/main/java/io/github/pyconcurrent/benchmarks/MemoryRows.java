package io.github.pyconcurrent.benchmarks;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The report's memory rows: runs {@link MemoryProbe} in a JVM of its own and pairs each figure
 * with its JDK baseline and CPython twin, in bytes (a ratio below 1 = ours smaller).
 */
final class MemoryRows {
    static final String UNIT = "bytes";
    private static final String BASE = "io.github.pyconcurrent.benchmarks.";
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    /** One row: our key, the baseline's, CPython's key, the benchmark package and the label. */
    private record Spec(String ours, String jdk, String cpython, String pkg, String name, String baseline,
                        String label) {
    }

    private static final List<Spec> SPECS = List.of(
            new Spec(MemoryProbe.GREENLET, MemoryProbe.VIRTUAL_THREAD, "greenlet bytes per suspended greenlet",
                    "greenlet", "suspendedGreenlet", "parkedVirtualThread", "memory: bytes per suspended greenlet"),
            new Spec(MemoryProbe.GEVENT_TASK, MemoryProbe.VIRTUAL_THREAD, "gevent bytes per sleeping task",
                    "gevent", "sleepingTask", "parkedVirtualThread", "memory: bytes per sleeping gevent task"),
            new Spec(MemoryProbe.POOL_WORKER, MemoryProbe.IDLE_JVM, "multiprocessing.Pool worker RSS bytes",
                    "multiprocessing", "poolWorkerRss", "idleJvmRss", "memory: RSS of one Pool worker"),
            new Spec(MemoryProbe.SPARE, MemoryProbe.IDLE_JVM, "",
                    "multiprocessing", "forkserverSpareRss", "idleJvmRss", "memory: RSS of one forkserver spare"));

    private MemoryRows() {}

    /** Whether any memory row belongs to the benchmark {@code packages} selected. */
    static boolean wanted(Collection<String> packages) {
        return SPECS.stream().anyMatch(s -> packages.contains(s.pkg()));
    }

    /** The packages with memory rows (the CPython scripts covering them must run too). */
    static List<String> packages() {
        return SPECS.stream().map(Spec::pkg).distinct().toList();
    }

    /** Measures in a child JVM (the toolkit's flags, this class path); empty figures on failure. */
    static Map<String, Double> measure(PrintStream log) {
        return ChildJvm.figures(MemoryProbe.class, List.of(), TIMEOUT, "memory rows", log);
    }

    /** The rows for {@code packages}, from the probe's figures and CPython's (a missing figure shows as such). */
    static List<ComparisonRow> rows(Collection<String> packages, Map<String, Double> ours, Map<String, Double> cpython) {
        List<ComparisonRow> rows = new ArrayList<>();
        for (Spec s : SPECS) {
            if (!packages.contains(s.pkg())) {
                continue;
            }
            String cls = BASE + s.pkg() + ".Memory.";
            rows.add(new ComparisonRow(cls + s.name(), s.label(), bytes(ours.get(s.ours())), cls + s.baseline(),
                    bytes(ours.get(s.jdk())), s.cpython(), bytes(cpython.get(s.cpython()))));
        }
        return rows;
    }

    private static Measurement bytes(Double value) {
        return value == null || value.isNaN() ? null : new Measurement(value, UNIT);
    }
}
