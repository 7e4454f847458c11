package io.github.pyconcurrent.benchmarks.socketserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Nearest-rank percentiles of the load client's latency samples. */
class LatenciesTest {

    @Test
    void nearestRankOfOneToAHundred() {
        Latencies l = new Latencies(4);   // grows past its first guess
        for (int i = 100; i >= 1; i--) {
            l.record(i);
        }
        assertEquals(100, l.count());
        assertEquals(50, l.percentile(50));
        assertEquals(99, l.percentile(99));
        assertEquals(100, l.percentile(100));
        assertEquals(1, l.percentile(0.1));
    }

    @Test
    void theMedianOfAnEvenCountIsTheLowerMiddleSampleNotAMean() {
        Latencies l = new Latencies(4);
        l.record(10);
        l.record(40);
        l.record(20);
        l.record(30);
        assertEquals(20, l.percentile(50));
    }

    @Test
    void recordingAfterReadingStillCounts() {
        Latencies l = new Latencies(2);
        l.record(5);
        assertEquals(5, l.percentile(50));
        l.record(1);
        l.record(2);
        assertEquals(2, l.percentile(50));
    }

    @Test
    void noSamplesIsNaNAndOutOfRangeIsRefused() {
        Latencies l = new Latencies(1);
        assertTrue(Double.isNaN(l.percentile(50)));
        assertThrows(IllegalArgumentException.class, () -> l.percentile(0));
        assertThrows(IllegalArgumentException.class, () -> l.percentile(101));
    }
}
