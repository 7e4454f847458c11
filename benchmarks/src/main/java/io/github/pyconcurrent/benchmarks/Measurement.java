package io.github.pyconcurrent.benchmarks;

import java.util.Collection;
import java.util.OptionalDouble;

/**
 * One benchmark's typical score: the {@link Median} of its iterations, in {@link NanosPerOp#UNIT}
 * when JMH's unit converts, else in JMH's own unit.
 *
 * @param score the median
 * @param unit  its unit
 */
record Measurement(double score, String unit) {

    /** The measurement of iteration scores all in JMH's {@code unit}. */
    static Measurement ofIterations(Collection<Double> iterationScores, String unit) {
        double median = Median.of(iterationScores);
        OptionalDouble nanos = NanosPerOp.convert(median, unit);
        return nanos.isPresent() ? new Measurement(nanos.getAsDouble(), NanosPerOp.UNIT)
                : new Measurement(median, unit);
    }

    /** A measurement in nanoseconds per operation (e.g. from a CPython script). */
    static Measurement nanos(double nanosPerOp) {
        return new Measurement(nanosPerOp, NanosPerOp.UNIT);
    }

    /**
     * Returns this score divided by {@code other}'s ({@code < 1} = this one is faster when both
     * are times), or {@code NaN} when either is missing or the units differ.
     */
    double ratioTo(Measurement other) {
        if (other == null || !unit.equals(other.unit) || other.score == 0) {
            return Double.NaN;
        }
        return score / other.score;
    }
}
