package io.github.pyconcurrent.benchmarks;

/**
 * What one benchmark of ours is compared with, as its {@link Versus} says.
 *
 * @param benchmark   JMH's name of the benchmark: {@code package.Class.method}, or
 *                    {@code package.Class.group} for a multi-threaded {@code @Group} benchmark
 * @param label       the table's name for it
 * @param jdkBaseline JMH's name of the JDK baseline (same class)
 * @param cpythonKey  the key of the CPython twin in the scripts' output, or {@code ""}
 */
record Pairing(String benchmark, String label, String jdkBaseline, String cpythonKey) {

    /** Returns whether a CPython twin is named. */
    boolean hasCpythonTwin() {
        return !cpythonKey.isEmpty();
    }
}
