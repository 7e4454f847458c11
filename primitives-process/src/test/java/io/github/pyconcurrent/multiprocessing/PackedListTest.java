package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PackedListTest {
    @Test
    void intsStayUnboxedUntilAnotherElementComesAndTheListBehavesAsAnArrayList() {
        PackedList<Object> packed = new PackedList<>(0);
        List<Object> plain = new ArrayList<>();
        for (int i = -200; i < 200; i++) {
            packed.add(i);
            plain.add(i);
        }
        assertNotNull(packed.intsOrNull());
        assertEquals(plain, packed);
        assertEquals(plain.hashCode(), packed.hashCode());
        assertEquals(5, packed.set(205, 7));
        plain.set(205, 7);
        assertNotNull(packed.intsOrNull());
        packed.add(3, "x");           // anything but an Integer: objects from now on, same content
        plain.add(3, "x");
        packed.add(null);
        plain.add(null);
        assertNull(packed.intsOrNull());
        assertEquals(plain, packed);
        assertEquals(plain.remove(0), packed.remove(0));
        assertEquals(plain, packed);
        packed.clear();
        assertEquals(List.of(), packed);
        packed.add(1);
        assertEquals(List.of(1), packed);
        assertThrows(IndexOutOfBoundsException.class, () -> packed.get(1));
    }

    @Test
    void aListWithANullOrAnotherClassIsKeptAsObjects() {
        assertNull(new PackedList<>(Arrays.asList(1, null, 3)).intsOrNull());
        assertNull(new PackedList<>(List.of(1, 2L)).intsOrNull());
        assertEquals(Arrays.asList(1, null, 3), new PackedList<>(Arrays.asList(1, null, 3)));
        assertNotNull(new PackedList<>(List.of(1, 2)).intsOrNull());
    }

    @Test
    void intsCrossTheWireAsRawNumbersAndArriveUnboxed() {
        List<Integer> ints = IntStream.range(-5, 1000).boxed().toList();
        byte[] bytes = Serial.toBytes(new PackedList<>(ints));
        assertEquals(Serial.PACKED, bytes[0]);
        assertEquals(2 + 4 * ints.size(), bytes.length);
        Object back = Serial.read(bytes);
        assertEquals(PackedList.class, back.getClass());
        assertNotNull(((PackedList<?>) back).intsOrNull());
        assertEquals(ints, back);
    }

    @Test
    void concatenatesPackedPartsWithoutBoxingAndOtherPartsAsObjects() {
        List<List<Integer>> parts = List.of(new PackedList<>(List.of(1, 2)), new PackedList<>(List.of()), new PackedList<>(List.of(3)));
        List<Integer> all = PackedList.concat(parts, 3);
        assertEquals(List.of(1, 2, 3), all);
        assertNotNull(((PackedList<?>) all).intsOrNull());
        List<Object> mixed = PackedList.concat(List.of(new PackedList<>(List.<Object>of(1)), List.<Object>of("a")), 2);
        assertEquals(List.of(1, "a"), mixed);
        assertEquals(ArrayList.class, mixed.getClass());
    }

    @Test
    void javaSerializationReadsBackAPlainArrayList() throws Exception {
        PackedList<Integer> packed = new PackedList<>(List.of(1, 2, 300));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(packed);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            Object back = in.readObject();
            assertEquals(ArrayList.class, back.getClass());
            assertEquals(List.of(1, 2, 300), back);
        }
    }
}
