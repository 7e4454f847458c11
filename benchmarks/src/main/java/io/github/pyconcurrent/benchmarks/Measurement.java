package io.github.pyconcurrent.benchmarks;

import java.util.Collection;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;

/**
 * One benchmark's typical score: the {@link Median} of its iterations (for a
 * {@code Mode.SampleTime} benchmark, the median of all its samples), in {@link NanosPerOp#UNIT}
 * when JMH's unit converts, else in JMH's own unit; and, for a {@code Mode.SampleTime}
 * benchmark, the {@link #SAMPLED_PERCENTILES} of all its samples in the same unit.
 *
 * @param score       the typical score
 * @param unit        its unit
 * @param percentiles percentile (e.g. 99.0) to score; empty unless the benchmark sampled
 */
record Measurement(double score, String unit, Map<Double, Double> percentiles) {
    /** The percentiles kept of a sampled benchmark: what {@link Versus#percentile()} may name. */
    static final double[] SAMPLED_PERCENTILES = {50, 90, 99, 99.9, 99.99};

    Measurement {
        percentiles = Map.copyOf(percentiles);
    }

    /** A measurement without percentiles. */
    Measurement(double score, String unit) {
        this(score, unit, Map.of());
    }

    /** The measurement of iteration scores all in JMH's {@code unit}. */
    static Measurement ofIterations(Collection<Double> iterationScores, String unit) {
        double median = Median.of(iterationScores);
        OptionalDouble nanos = NanosPerOp.convert(median, unit);
        return nanos.isPresent() ? new Measurement(nanos.getAsDouble(), NanosPerOp.UNIT)
                : new Measurement(median, unit);
    }

    /**
     * The measurement of a sampled benchmark, whose every sample JMH kept: {@code percentile}
     * gives the score at a percentile in JMH's {@code unit}; the typical score is the median.
     */
    static Measurement ofSamples(DoubleUnaryOperator percentile, String unit) {
        boolean converts = NanosPerOp.convert(1, unit).isPresent();
        Map<Double, Double> kept = new TreeMap<>();
        for (double p : SAMPLED_PERCENTILES) {
            double score = percentile.applyAsDouble(p);
            kept.put(p, converts ? NanosPerOp.convert(score, unit).orElse(Double.NaN) : score);
        }
        return new Measurement(kept.get(50.0), converts ? NanosPerOp.UNIT : unit, kept);
    }

    /** A measurement in nanoseconds per operation (e.g. from a CPython script). */
    static Measurement nanos(double nanosPerOp) {
        return new Measurement(nanosPerOp, NanosPerOp.UNIT);
    }

    /**
     * This measurement's statistic that a {@link Versus#percentile()} names: itself for 0, else
     * that percentile as a measurement of its own; {@code null} when it was not kept.
     */
    Measurement at(double percentile) {
        if (percentile == 0) {
            return this;
        }
        Double score = percentiles.get(percentile);
        return score == null ? null : new Measurement(score, unit);
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
