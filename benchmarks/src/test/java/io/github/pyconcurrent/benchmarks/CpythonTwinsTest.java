package io.github.pyconcurrent.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** A packaged file named {@code _*.py} is a helper module the scripts import, never run as a script. */
    @Test
    void filesStartingWithAnUnderscoreAreHelpersNotScripts() {
        assertFalse(CpythonTwins.isScript("_pybench.py"));
        assertTrue(CpythonTwins.isScript("threading_bench.py"));
        assertTrue(CpythonTwins.isScript("bench_with_a_name.py"));
    }

    /** The shared timing loop is packaged (so it is extracted next to the scripts) but not among the scripts run. */
    @Test
    void theSharedTimingLoopIsPackagedButNotRun() {
        List<String> scripts = List.of("coroutine_bench.py", "manager_bench.py", "process_bench.py", "shared_bench.py", "socketserver_bench.py",
                "threading_bench.py");
        List<String> packaged = CpythonTwins.packagedFiles();
        assertTrue(packaged.contains("_pybench.py"), packaged::toString);
        assertTrue(packaged.containsAll(scripts), packaged::toString);
        List<String> run = CpythonTwins.scriptNames();
        assertTrue(run.containsAll(scripts), run::toString);
        assertFalse(run.contains("_pybench.py"), run::toString);
    }

    /** A script says what it must import and whose twin it is; it runs only for those packages. */
    @Test
    void aScriptsRequirementsAndCoverageAreReadFromItsCommentLines() {
        CpythonTwins.Script s = CpythonTwins.Script.of("coroutine_bench.py",
                List.of("\"\"\"doc\"\"\"", "# requires: greenlet gevent", "# covers: greenlet, gevent", "import x"));
        assertEquals(List.of("greenlet", "gevent"), s.requires());
        assertTrue(s.neededFor(java.util.Set.of("gevent", "threading")));
        assertFalse(s.neededFor(java.util.Set.of("threading")));
        assertTrue(CpythonTwins.Script.of("x.py", List.of("import y")).neededFor(java.util.Set.of()));
        assertEquals("apt-get install python3-greenlet python3-gevent", CpythonTwins.hint(s.requires()));
    }

    /** With no interpreter that imports what a script needs, none is chosen (and the hint is printed). */
    @Test
    void noCandidateIsChosenForModulesNoneImports() {
        List<CpythonTwins.Interpreter> candidates = CpythonTwins.candidates(null);
        assertTrue(CpythonTwins.choose(candidates, List.of("no_such_module_pyconcurrent")).isEmpty());
        assertEquals(candidates.stream().findFirst(), CpythonTwins.choose(candidates, List.of()));
    }
}
