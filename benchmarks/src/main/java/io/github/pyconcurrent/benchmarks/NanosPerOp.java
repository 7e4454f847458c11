package io.github.pyconcurrent.benchmarks;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * Converts a JMH score in any time-per-operation or operations-per-time unit to nanoseconds per
 * operation, the one unit the comparison table (and the CPython scripts) speak, so a ratio never
 * mixes units and "lower is better" holds in every column.
 */
final class NanosPerOp {
    /** The unit every converted score is in. */
    static final String UNIT = "ns/op";

    private static final Map<String, Double> NANOS_PER_TIME_UNIT = Map.of(
            "ns", 1.0,
            "us", 1e3,
            "ms", 1e6,
            "s", 1e9,
            "min", 60e9,
            "hr", 3600e9,
            "day", 86_400e9);

    private NanosPerOp() {}

    /**
     * Returns {@code score} in nanoseconds per operation, or empty when {@code unit} (as JMH
     * prints it: "us/op", "ops/ms", ...) is not a time unit JMH uses.
     */
    static OptionalDouble convert(double score, String unit) {
        int slash = unit.indexOf('/');
        if (slash < 0 || Double.isNaN(score)) {
            return OptionalDouble.empty();
        }
        String numerator = unit.substring(0, slash);
        String denominator = unit.substring(slash + 1);
        if (denominator.equals("op")) {
            Double nanos = NANOS_PER_TIME_UNIT.get(numerator);
            return nanos == null ? OptionalDouble.empty() : OptionalDouble.of(score * nanos);
        }
        if (numerator.equals("ops")) {
            Double nanos = NANOS_PER_TIME_UNIT.get(denominator);
            // A throughput of 0 ops is an infinitely slow operation, not a division error.
            return nanos == null ? OptionalDouble.empty()
                    : OptionalDouble.of(score == 0 ? Double.POSITIVE_INFINITY : nanos / score);
        }
        return OptionalDouble.empty();
    }
}
