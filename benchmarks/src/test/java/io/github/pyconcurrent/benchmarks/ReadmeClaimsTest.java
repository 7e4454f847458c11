package io.github.pyconcurrent.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's headline claims against CPython are the latest measured ones: every row of its
 * {@code headline-claims} table must say exactly what the same row's "vs CPython" cell says in the
 * tables under {@code docs/bench/} (the reports the README's figures come from). Re-measure, copy
 * the new tables into {@code docs/bench/}, and this test names each README claim that went stale.
 */
class ReadmeClaimsTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void everyHeadlineClaimMatchesTheLatestTables() throws IOException {
        Path readme = ROOT.resolve("README.md");
        Path tables = ROOT.resolve("docs/bench");
        assumeTrue(Files.exists(readme) && Files.isDirectory(tables), "built outside the project checkout");
        Map<String, String> measured = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(tables)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                measured.putAll(vsCpython(Files.readString(f)));
            }
        }
        assertFalse(measured.isEmpty(), "no table with a 'vs CPython' column in " + tables);

        String text = Files.readString(readme);
        int begin = text.indexOf("<!-- headline-claims:begin -->");
        int end = text.indexOf("<!-- headline-claims:end -->");
        assertTrue(begin >= 0 && end > begin, "README lacks the headline-claims block");
        List<String> stale = new ArrayList<>();
        int checked = 0;
        for (List<String> row : rows(text.substring(begin, end))) {
            String label = row.get(0);
            String claim = row.get(row.size() - 1);
            String actual = measured.get(label);
            if (actual == null) {
                stale.add(label + ": no such row in docs/bench");
            } else if (!actual.equals(claim)) {
                stale.add(label + ": README says '" + claim + "', docs/bench says '" + actual + "'");
            }
            checked++;
        }
        assertTrue(checked > 0, "the headline-claims block has no rows");
        assertEquals(List.of(), stale, "README claims that contradict docs/bench");
    }

    /** A claim that goes the wrong way is caught: the parser reads the cells this test compares. */
    @Test
    void theTablesAreReadCellByCell() {
        String table = """
                | primitive | ours | unit | JDK baseline | JDK | ours/JDK | CPython | vs CPython |
                |---|---:|---|---|---:|---:|---:|---:|
                | Lock acquire+release | 11.3 | ns/op | reentrantLock | 12.1 | 0.94x | 81.4 | 7.2x faster |
                | Thread start+join | 200,134 | ns/op | platformThread | 191,453 | 1.05x | 178,422 | 1.1x slower |
                """;
        assertEquals(Map.of("Lock acquire+release", "7.2x faster", "Thread start+join", "1.1x slower"), vsCpython(table));
    }

    /** Label to "vs CPython" cell, for every table whose last header is "vs CPython". */
    private static Map<String, String> vsCpython(String markdown) {
        Map<String, String> cells = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : markdown.split("\n")) {
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            List<String> row = cells(line);
            if (!inTable) {
                inTable = row.get(row.size() - 1).equals("vs CPython");
                continue;
            }
            if (!row.get(0).startsWith("---")) {
                cells.put(row.get(0), row.get(row.size() - 1));
            }
        }
        return cells;
    }

    /** The body rows of the markdown table in {@code block} (header and separator left out). */
    private static List<List<String>> rows(String block) {
        List<List<String>> rows = new ArrayList<>();
        for (String line : block.split("\n")) {
            if (line.startsWith("|")) {
                rows.add(cells(line));
            }
        }
        return rows.size() < 2 ? List.of() : rows.subList(2, rows.size());
    }

    private static List<String> cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        return Stream.of(inner.split("\\|", -1)).map(String::strip).toList();
    }
}
