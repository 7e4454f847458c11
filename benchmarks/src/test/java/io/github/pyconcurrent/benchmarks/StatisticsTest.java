package io.github.pyconcurrent.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The median, unit conversion and ratio the table is built from. */
class StatisticsTest {

    @Test
    void theMedianOfAnOddCountIsTheMiddleValueNotTheMean() {
        assertEquals(3.0, Median.of(100.0, 3.0, 1.0));
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertEquals(2.5, Median.of(List.of(4.0, 1.0, 3.0, 2.0)));
    }

    @Test
    void theMedianLeavesItsInputAloneAndIsNaNWhenEmpty() {
        double[] values = {3.0, 1.0, 2.0};
        assertEquals(2.0, Median.of(values));
        assertArrayEquals(new double[] {3.0, 1.0, 2.0}, values);
        assertTrue(Double.isNaN(Median.of()));
    }

    @Test
    void timePerOpAndThroughputUnitsConvertToNanosPerOp() {
        assertEquals(OptionalDouble.of(12.5), NanosPerOp.convert(12.5, "ns/op"));
        assertEquals(OptionalDouble.of(2_000.0), NanosPerOp.convert(2.0, "us/op"));
        assertEquals(OptionalDouble.of(3e6), NanosPerOp.convert(3.0, "ms/op"));
        assertEquals(OptionalDouble.of(250.0), NanosPerOp.convert(4_000.0, "ops/ms"));
        assertEquals(OptionalDouble.of(0.5), NanosPerOp.convert(2.0, "ops/ns"));
    }

    @Test
    void anUnknownUnitDoesNotConvert() {
        assertEquals(OptionalDouble.empty(), NanosPerOp.convert(1.0, "B/op"));
        assertEquals(OptionalDouble.empty(), NanosPerOp.convert(1.0, "#"));
    }

    @Test
    void aMeasurementIsTheConvertedMedianOfItsIterations() {
        assertEquals(new Measurement(2_000.0, "ns/op"), Measurement.ofIterations(List.of(1.0, 2.0, 9.0), "us/op"));
        assertEquals(new Measurement(5.0, "B/op"), Measurement.ofIterations(List.of(5.0), "B/op"));
    }

    @Test
    void aRatioNeedsTwoScoresInTheSameUnit() {
        assertEquals(1.5, Measurement.nanos(30).ratioTo(Measurement.nanos(20)));
        assertTrue(Double.isNaN(Measurement.nanos(30).ratioTo(null)));
        assertTrue(Double.isNaN(Measurement.nanos(30).ratioTo(new Measurement(20, "B/op"))));
    }
}
