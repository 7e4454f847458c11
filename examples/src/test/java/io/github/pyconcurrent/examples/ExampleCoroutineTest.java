package io.github.pyconcurrent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.greenlet.GreenletLeaks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The tutorial's greenlet and gevent programs, run as they are and checked line by line. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExampleCoroutineTest {

    @AfterEach
    void nothingLeft() {
        GreenletLeaks.assertNone();
    }

    /** test1/test2 print 12, 56, 34, 78 in exactly that order. */
    @Test
    void greenletProgramPrintsInOrder() {
        assertEquals(List.of("12", "56", "34", "78"), lines(out -> GreenletTutorial.run(out)));
    }

    /**
     * The three fetches overlap: every GET is issued before any page arrives, and the server saw
     * all three requests before it answered any (it answers none until all have arrived).
     */
    @Test
    void geventFetchesOverlap() throws Exception {
        boolean[] overlapped = new boolean[1];
        List<String> printed = lines(out -> {
            try {
                overlapped[0] = GeventTutorial.run(out);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(overlapped[0], "server answered before all three requests arrived: " + printed);
        assertEquals(6, printed.size(), printed.toString());
        for (int i = 0; i < 3; i++) {
            assertTrue(printed.get(i).startsWith("GET: http://127.0.0.1:"), printed.toString());
            assertTrue(printed.get(i + 3).contains(" bytes received from http://127.0.0.1:"), printed.toString());
        }
    }

    private static List<String> lines(java.util.function.Consumer<PrintStream> program) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            program.accept(out);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
