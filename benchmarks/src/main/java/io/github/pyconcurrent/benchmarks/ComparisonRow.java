package io.github.pyconcurrent.benchmarks;

/**
 * One line of the comparison table. A row either pairs a benchmark of ours with its baselines
 * ({@code baseline} non-null) or stands alone (a JDK extra row, or a baseline run without the
 * benchmarks that name it).
 *
 * @param benchmark  JMH's name of the benchmark
 * @param label      the table's name for it
 * @param ours       its measurement, or {@code null} when it produced no result (failed)
 * @param baseline   JMH's name of its JDK baseline, or {@code null} for a row that stands alone
 * @param jdk        the baseline's measurement, or {@code null}
 * @param cpythonKey the key of its CPython twin, or {@code ""}
 * @param cpython    the CPython twin's measurement, or {@code null}
 */
record ComparisonRow(String benchmark, String label, Measurement ours, String baseline,
                     Measurement jdk, String cpythonKey, Measurement cpython) {

    /** ours / JDK ({@code NaN} when either is missing). */
    double ratioToJdk() {
        return ours == null ? Double.NaN : ours.ratioTo(jdk);
    }

    /** ours / CPython ({@code NaN} when either is missing). */
    double ratioToCpython() {
        return ours == null ? Double.NaN : ours.ratioTo(cpython);
    }

    /** The report section this row belongs to. */
    BenchGroup group() {
        return BenchGroup.of(benchmark);
    }

    /**
     * Whether the row is there for context only: a benchmark with no pairing (a raw floor such
     * as a bare continuation, a JDK extra, a baseline run without the benchmarks naming it).
     */
    boolean contextOnly() {
        return baseline == null;
    }

    /**
     * The baseline's name for the table: its JMH method (or group) name, or for a load row the
     * server's label ({@link LoadRows#baselineLabel}); {@code ""} when there is none.
     */
    String baselineName() {
        if (baseline == null) {
            return "";
        }
        return baseline.startsWith(LoadRows.CLASS) ? LoadRows.baselineLabel(baseline) : baseline.substring(baseline.lastIndexOf('.') + 1);
    }
}
