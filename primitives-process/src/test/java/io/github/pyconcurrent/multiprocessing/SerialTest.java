package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SerialTest {
    @Test
    void boxedPrimitivesAndStringsTakeTheFastPathAndComeBackEqual() {
        List<Object> values = List.of(0, -1, Integer.MAX_VALUE, Long.MIN_VALUE, 3.25d, Double.NaN, -0.5f, (short) -7,
                (byte) 0x7f, 'é', true, false, "", "héllo wörld ∑");
        for (Object v : values) {
            byte[] bytes = Serial.toBytes(v);
            assertTrue(bytes[0] != Serial.JAVA, "fast path for " + v.getClass());
            assertEquals(v, Serial.read(bytes));
        }
        assertEquals(5, Serial.toBytes(12345).length);
        assertNull(Serial.read(Serial.toBytes(null)));
    }

    @Test
    void primitiveArraysComeBackWhole() {
        assertArrayEquals(new byte[] {1, -2, 3}, (byte[]) Serial.read(Serial.toBytes(new byte[] {1, -2, 3})));
        assertArrayEquals(new int[] {1, -2, Integer.MIN_VALUE}, (int[]) Serial.read(Serial.toBytes(new int[] {1, -2, Integer.MIN_VALUE})));
        assertArrayEquals(new long[] {Long.MAX_VALUE, 0}, (long[]) Serial.read(Serial.toBytes(new long[] {Long.MAX_VALUE, 0})));
        assertArrayEquals(new double[] {1.5, -0.0}, (double[]) Serial.read(Serial.toBytes(new double[] {1.5, -0.0})));
        assertArrayEquals(new float[] {2.5f}, (float[]) Serial.read(Serial.toBytes(new float[] {2.5f})));
        assertArrayEquals(new short[] {-1, 2}, (short[]) Serial.read(Serial.toBytes(new short[] {-1, 2})));
        assertArrayEquals(new char[] {'a', 'ж'}, (char[]) Serial.read(Serial.toBytes(new char[] {'a', 'ж'})));
        assertArrayEquals(new boolean[] {true, false, true}, (boolean[]) Serial.read(Serial.toBytes(new boolean[] {true, false, true})));
        assertArrayEquals(new int[0], (int[]) Serial.read(Serial.toBytes(new int[0])));
    }

    @Test
    void otherObjectsTakeTheJavaPath() {
        Map<String, List<Integer>> v = Map.of("a", List.of(1, 2));
        byte[] bytes = Serial.toBytes(v);
        assertEquals(Serial.JAVA, bytes[0]);
        assertEquals(v, Serial.read(bytes));
    }

    @Test
    void aNonSerializableObjectIsNamed() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Serial.toBytes(new Object()));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    }

    @Test
    void aCorruptFastPathMessageIsRefused() {
        assertThrows(UncheckedIOException.class, () -> Serial.read(new byte[] {Serial.INT, 1, 2, 3}));
        assertThrows(UncheckedIOException.class, () -> Serial.read(new byte[] {Serial.LONGS, 1, 2, 3}));
        assertThrows(UncheckedIOException.class, () -> Serial.read(new byte[] {99}));
        assertThrows(UncheckedIOException.class, () -> Serial.read(new byte[0]));
    }

    @Test
    void theFilterJudgesFastPathValuesAsItJudgesJavaStreams() {
        assertTrue(Serial.admit(int[].class, 10, 41));
        assertThrows(IllegalStateException.class, () -> Serial.admit(int[].class, 268_435_457L, 10));
    }

    @Test
    void aSerializableLambdaTravelsWithoutAStreamAndKeepsWhatItCaptured() throws Exception {
        int n = 41;
        String word = "forty";
        SerializableFunction<Integer, Integer> inner = x -> x + n;
        SerializableCallable<String> task = () -> word + "-" + inner.apply(1);
        byte[] bytes = Serial.toBytes(task);
        assertEquals(Serial.LAMBDA, bytes[0]);
        SerializableCallable<String> copy = Serial.read(bytes);
        assertEquals("forty-42", copy.call());
        // Smaller than Java serialization's form of the same lambda: no stream header, no class descriptors.
        java.io.ByteArrayOutputStream java = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(java)) {
            out.writeObject(task);
        }
        assertTrue(bytes.length < java.size(), bytes.length + " bytes vs Java's " + java.size());
    }

    @Test
    void aLambdaCapturingSomethingUnserializableNamesItsClass() {
        Object lock = new Object();
        SerializableCallable<Integer> task = () -> lock.hashCode();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Serial.toBytes(task));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    }

    private static final java.util.concurrent.atomic.AtomicReference<String> RAN = new java.util.concurrent.atomic.AtomicReference<>();

    @Test
    void aProcessTravelsAsItsFieldsAndItsTargetsMessage() throws Exception {
        int n = 41;
        String word = "forty";
        Process process = new Process("worker-7", () -> RAN.set(word + n));
        process.setDaemon(true);
        byte[] bytes = Serial.toBytes(process);
        assertEquals(Serial.PROCESS, bytes[0]);
        Process copy = Serial.read(bytes);
        assertEquals("worker-7", copy.name());
        assertTrue(copy.isDaemon());
        assertEquals(process.parentName(), copy.parentName());
        copy.run();
        assertEquals("forty41", RAN.get());
        assertThrows(UncheckedIOException.class, () -> Serial.read(java.util.Arrays.copyOf(bytes, bytes.length - 3)));
        assertThrows(UncheckedIOException.class, () -> Serial.read(java.util.Arrays.copyOf(bytes, 4)));
    }

    /** A subclass may add fields of its own: Java serialization writes them. */
    static final class Counting extends Process {
        private final int count;

        Counting(int count) {
            super("counting");
            this.count = count;
        }

        @Override
        public void run() {
            RAN.set("counted " + count);
        }
    }

    @Test
    void aProcessSubclassTakesTheJavaPathWithItsOwnFields() throws Exception {
        byte[] bytes = Serial.toBytes(new Counting(3));
        assertEquals(Serial.JAVA, bytes[0]);
        Process copy = Serial.read(bytes);
        assertEquals("counting", copy.name());
        copy.run();
        assertEquals("counted 3", RAN.get());
    }

    @Test
    void aCorruptLambdaIsRefused() {
        byte[] bytes = Serial.toBytes((SerializableCallable<Integer>) () -> 1);
        assertThrows(UncheckedIOException.class, () -> Serial.read(java.util.Arrays.copyOf(bytes, bytes.length / 2)));
    }

    @Test
    void aMapChunkTravelsAsItsFunctionAndRawNumbersAndComesBackAsPlainLists() throws Exception {
        int offset = 7;
        SerializableCallable<List<Long>> chunk = PoolMaps.chunk((Integer x) -> (long) x + offset, List.of(1, -2, Integer.MAX_VALUE));
        byte[] bytes = Serial.toBytes(chunk);
        assertEquals(Serial.CHUNK, bytes[0]);
        SerializableCallable<List<Long>> copy = Serial.read(bytes);
        List<Long> result = copy.call();
        assertEquals(List.of(8L, 5L, Integer.MAX_VALUE + 7L), result);
        byte[] answer = Serial.toBytes(result);
        assertEquals(Serial.PACKED, answer[0]);
        assertEquals(2 + 3 * 8, answer.length);
        Object back = Serial.read(answer);
        assertEquals(java.util.ArrayList.class, back.getClass());
        assertEquals(result, back);
        // Mixed, null or other elements: the Java path, still a plain list.
        List<Object> mixed = java.util.Arrays.asList(1, null, "x", 2.5);
        byte[] other = Serial.toBytes(new PackedList<>(mixed));
        assertEquals(Serial.JAVA, other[0]);
        assertEquals(mixed, Serial.read(other));
        List<Double> doubles = List.of(1.5, -0.0, Double.NaN);
        assertEquals(doubles, Serial.read(Serial.toBytes(new PackedList<>(doubles))));
    }

    @Test
    void aCorruptPackedListOrChunkIsRefused() {
        assertThrows(UncheckedIOException.class, () -> Serial.read(new byte[] {Serial.PACKED, PackedList.INTS, 1, 2, 3}));
        assertThrows(UncheckedIOException.class, () -> Serial.read(new byte[] {Serial.PACKED, 9, 1, 2, 3, 4}));
        assertThrows(UncheckedIOException.class, () -> Serial.read(new byte[] {Serial.CHUNK, 100, 0, 0, 0, 1}));
        byte[] bytes = Serial.toBytes(PoolMaps.chunk((Integer x) -> x, List.of(1, 2)));
        assertThrows(RuntimeException.class, () -> Serial.read(java.util.Arrays.copyOf(bytes, bytes.length - 3)));
    }

    @Test
    void lambdasOfDifferentClassesInTurnEachComeBackWithTheirOwnCapturedValues() throws Exception {
        for (int i = 0; i < 3; i++) {
            int n = i;
            String word = "w" + i;
            SerializableCallable<Integer> plus = () -> n + 1;
            SerializableCallable<String> join = () -> word + n;
            SerializableCallable<Integer> none = () -> 42;
            assertEquals(n + 1, Serial.<SerializableCallable<Integer>>read(Serial.toBytes(plus)).call());
            assertEquals(word + n, Serial.<SerializableCallable<String>>read(Serial.toBytes(join)).call());
            assertEquals(42, Serial.<SerializableCallable<Integer>>read(Serial.toBytes(none)).call());
            assertEquals(n + 1, Serial.<SerializableCallable<Integer>>read(Serial.toBytes(plus)).call());
        }
        byte[] bytes = Serial.toBytes((SerializableCallable<String>) () -> "x".repeat(3));
        Serial.read(bytes);   // its header is now the last one read: a truncated copy is still refused
        assertThrows(UncheckedIOException.class, () -> Serial.read(java.util.Arrays.copyOf(bytes, bytes.length - 1)));
    }
}
