package io.github.pyconcurrent.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpythonTwinsTest {

    @Test
    void linesAreKeyTabNanosAndCommentsAndBlanksAreSkipped() {
        List<String> bad = new ArrayList<>();
        Map<String, Double> figures = CpythonTwins.parse(List.of(
                "# CPython 3.11",
                "threading.Lock acquire+release\t56.2",
                "",
                "threading.Thread start+join\t 81342.9 ",
                "no tab here 12",
                "key\tnot-a-number",
                "negative\t-1"), bad::add);
        assertEquals(Map.of("threading.Lock acquire+release", 56.2, "threading.Thread start+join", 81342.9),
                figures);
        assertEquals(List.of("no tab here 12", "key\tnot-a-number", "negative\t-1"), bad);
    }

    @Test
    void aRepeatedKeyKeepsItsLastValue() {
        assertEquals(Map.of("k", 2.0), CpythonTwins.parse(List.of("k\t1", "k\t2"), line -> { }));
    }
}
