package io.github.pyconcurrent.socketserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Python's readline: the newline kept, a limit honoured, empty at end of stream, across buffer refills. */
class LineReaderTest {

    private static LineReader of(String s) {
        return new LineReader(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** One byte per read: lines span many refills. */
    private static LineReader trickling(String s) {
        InputStream in = new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        return new LineReader(in);
    }

    @Test
    void readlineKeepsTheNewlineAndIsEmptyAtEnd() {
        for (LineReader r : new LineReader[] {of("a\nbc\n\nlast"), trickling("a\nbc\n\nlast")}) {
            assertEquals("a\n", Clients.text(r.readline()));
            assertEquals("bc\n", Clients.text(r.readline()));
            assertEquals("\n", Clients.text(r.readline()));
            assertEquals("last", Clients.text(r.readline()));
            assertArrayEquals(new byte[0], r.readline());
            assertArrayEquals(new byte[0], r.readline());
        }
    }

    @Test
    void readlineWithALimitReturnsPieces() {
        for (LineReader r : new LineReader[] {of("abcdefg\nxy\n"), trickling("abcdefg\nxy\n")}) {
            assertEquals("abc", Clients.text(r.readline(3)));
            assertEquals("def", Clients.text(r.readline(3)));
            assertEquals("g\n", Clients.text(r.readline(3)));
            assertEquals("xy\n", Clients.text(r.readline(-1)));
            assertEquals("", Clients.text(r.readline(3)));
        }
    }

    @Test
    void theBufferGrowsWhenReadsFillItAndLinesStayWhole() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            text.append("line ").append(i).append('\n');
        }
        LineReader r = of(text.toString());
        for (int i = 0; i < 2_000; i++) {
            assertEquals("line " + i + "\n", Clients.text(r.readline()));
        }
        assertArrayEquals(new byte[0], r.readline());
    }

    @Test
    void longLinesAndMixedReads() {
        String big = "x".repeat(20_000) + "\n";
        LineReader r = of(big + "tail");
        assertEquals(big, Clients.text(r.readline()));
        assertEquals('t', r.read());
        assertEquals("ail", Clients.text(r.read(10)));
        assertEquals(-1, r.read());
        r.close();
        assertThrows(IllegalStateException.class, r::readline);
    }
}
