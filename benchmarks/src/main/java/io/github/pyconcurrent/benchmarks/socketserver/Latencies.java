package io.github.pyconcurrent.benchmarks.socketserver;

import java.util.Arrays;

/**
 * Latency samples in nanoseconds, kept whole (a few hundred thousand longs per window: no
 * histogram's rounding) and read as percentiles by the nearest-rank method. Not thread-safe: the
 * load client records from its one selector thread.
 *
 * <pre>{@code
 * Latencies l = new Latencies(1 << 16); l.record(took); ...; double p99 = l.percentile(99);
 * }</pre>
 */
public final class Latencies {
    private long[] samples;
    private int count;
    private boolean sorted = true;

    public Latencies(int expected) {
        samples = new long[Math.max(16, expected)];
    }

    public void record(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, samples.length * 2);
        }
        samples[count++] = nanos;
        sorted = false;
    }

    public int count() {
        return count;
    }

    /**
     * The nearest-rank {@code p}th percentile (0 < p <= 100): the smallest sample that at least
     * {@code p}% of the samples are at or below; NaN when there are none.
     */
    public double percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        if (count == 0) {
            return Double.NaN;
        }
        if (!sorted) {
            Arrays.sort(samples, 0, count);
            sorted = true;
        }
        int rank = (int) Math.ceil(p / 100 * count);
        return samples[Math.max(1, rank) - 1];
    }
}
