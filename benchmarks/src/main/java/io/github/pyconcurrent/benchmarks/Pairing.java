package io.github.pyconcurrent.benchmarks;

/**
 * What one benchmark of ours is compared with, as one of its {@link Versus} says: a row of the
 * table.
 *
 * @param benchmark   JMH's name of the benchmark: {@code package.Class.method}, or
 *                    {@code package.Class.group} for a multi-threaded {@code @Group} benchmark
 * @param label       the table's name for it
 * @param jdkBaseline JMH's name of the JDK baseline (same class)
 * @param cpythonKey  the key of the CPython twin in the scripts' output, or {@code ""}
 * @param percentile  the statistic shown ({@link Versus#percentile()}): 0 for the typical score
 */
record Pairing(String benchmark, String label, String jdkBaseline, String cpythonKey, double percentile) {

    /** A pairing of the typical score. */
    Pairing(String benchmark, String label, String jdkBaseline, String cpythonKey) {
        this(benchmark, label, jdkBaseline, cpythonKey, 0);
    }

    /** Returns whether a CPython twin is named. */
    boolean hasCpythonTwin() {
        return !cpythonKey.isEmpty();
    }
}
