package io.github.pyconcurrent.benchmarks;

import java.util.Arrays;
import java.util.Collection;

/**
 * The median of a set of scores: what the comparison table reports for every measurement.
 *
 * <p>Why the median and not JMH's mean: on a machine shared with other work one slow iteration
 * (a GC, a compile, a neighbour's burst) drags the mean far more than the median, and the table
 * is about typical cost. Every iteration of every fork counts as one sample.
 */
final class Median {
    private Median() {}

    /** Returns the median of {@code values}; {@code NaN} when there are none. */
    static double of(Collection<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Returns the median of {@code values} (not modified); {@code NaN} when there are none. */
    static double of(double... values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
