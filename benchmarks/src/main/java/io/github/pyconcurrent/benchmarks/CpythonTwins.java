package io.github.pyconcurrent.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Measures the CPython twins of our benchmarks in the same run: every {@code .py} file packaged
 * under {@value #RESOURCE_DIR}/ (from {@code benchmarks/src/main/python}) is extracted to one
 * temporary directory, each script there is run with a CPython interpreter, and the directory is
 * deleted after. A file whose name starts with {@code _} (e.g. {@code _pybench.py}, the timing
 * loop the scripts share) is a helper module: extracted, so that the scripts can import it, but
 * not run.
 *
 * <p>The script contract: print one line per measurement, {@code key<TAB>nanoseconds-per-op},
 * where {@code key} is what a benchmark's {@code @Versus(cpython = ...)} names; lines that are
 * blank or start with {@code #} are ignored. A script that fails or overruns its time is reported
 * in one line and skipped; the others still count.
 *
 * <p>A script may say what it needs and what it is the twin of, in comment lines of its own:
 * {@code # requires: greenlet gevent} (modules it must import) and {@code # covers: greenlet gevent}
 * (the benchmark packages whose twins it measures: it is run only when one of them is selected; a
 * script without the line always runs).
 *
 * <p>The interpreter, per script: the first of the candidates that imports what the script
 * requires. The candidates are {@code --python PATH} if given; else {@code python3} on the PATH,
 * then {@code /usr/bin/python3} (the one Debian's {@code python3-greenlet} and
 * {@code python3-gevent} install into). When none can, the script is skipped and {@link #hint}
 * is the one command that would add its rows.
 */
final class CpythonTwins {
    /** Where the scripts live inside the benchmarks jar. */
    static final String RESOURCE_DIR = "python";

    private static final String SYSTEM_PYTHON = "/usr/bin/python3";
    private static final String PROBE = "import sys, platform; print(platform.python_version()); print(sys.executable)";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    private CpythonTwins() {}

    /**
     * A CPython interpreter found on this machine.
     *
     * @param command    what to start it with
     * @param version    its version, e.g. {@code 3.11.7}
     * @param executable its {@code sys.executable}
     */
    record Interpreter(String command, String version, String executable) {
        @Override
        public String toString() {
            return "CPython " + version + " (" + executable + ")";
        }
    }

    /**
     * A script and what it says of itself (see the class comment).
     *
     * @param name     its file name
     * @param requires the modules it must import
     * @param covers   the benchmark packages whose twins it measures; empty = always run
     */
    record Script(String name, List<String> requires, List<String> covers) {
        /** Reads the {@code # requires:} and {@code # covers:} lines of a script's text. */
        static Script of(String name, List<String> lines) {
            return new Script(name, words(lines, "# requires:"), words(lines, "# covers:"));
        }

        private static List<String> words(List<String> lines, String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix))
                    .flatMap(l -> Arrays.stream(l.substring(prefix.length()).trim().split("[\\s,]+")))
                    .filter(w -> !w.isEmpty()).toList();
        }

        /** Whether the script is needed when the benchmarks of {@code packages} run. */
        boolean neededFor(Collection<String> packages) {
            return covers.isEmpty() || covers.stream().anyMatch(packages::contains);
        }
    }

    /**
     * What the CPython scripts gave: the figures by key, the interpreter each script ran with,
     * and for each script no interpreter could run, the command that would add its rows.
     */
    record Figures(Map<String, Double> figures, Map<String, Interpreter> interpreters, Map<String, String> hints) {
        static final Figures NONE = new Figures(Map.of(), Map.of(), Map.of());
    }

    /**
     * The interpreters to choose from, in order (see the class comment), each once even when two
     * commands start the same executable; empty when there is none.
     */
    static List<Interpreter> candidates(String override) {
        List<String> commands = override != null ? List.of(override) : List.of("python3", SYSTEM_PYTHON);
        Map<String, Interpreter> byExecutable = new LinkedHashMap<>();
        for (String command : commands) {
            probe(command, List.of()).ifPresent(i -> byExecutable.putIfAbsent(i.executable(), i));
        }
        return List.copyOf(byExecutable.values());
    }

    /** The first of {@code candidates} that imports every module of {@code modules}. */
    static Optional<Interpreter> choose(List<Interpreter> candidates, List<String> modules) {
        return modules.isEmpty() ? candidates.stream().findFirst()
                : candidates.stream().filter(i -> probe(i.command(), modules).isPresent()).findFirst();
    }

    /** The one command that makes {@code modules} importable by the system's python3 (Debian, Ubuntu). */
    static String hint(List<String> modules) {
        return "apt-get install " + String.join(" ", modules.stream().map(m -> "python3-" + m).toList());
    }

    /** The script names (e.g. {@code threading_bench.py}) packaged with this runner, sorted: helpers left out. */
    static List<String> scriptNames() {
        return packagedFiles().stream().filter(CpythonTwins::isScript).toList();
    }

    /** Whether the packaged file {@code fileName} is a script to run, not a helper module ({@code _name.py}). */
    static boolean isScript(String fileName) {
        return !fileName.startsWith("_");
    }

    /** Every {@code .py} file packaged with this runner, scripts and helper modules, sorted. */
    static List<String> packagedFiles() {
        Path source = codeSource();
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(source)) {
            Path dir = source.resolve(RESOURCE_DIR);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".py")).forEach(names::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        } else {
            try (JarFile jar = new JarFile(source.toFile())) {
                for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                    String name = entries.nextElement().getName();
                    if (name.startsWith(RESOURCE_DIR + "/") && name.endsWith(".py")
                            && name.indexOf('/', RESOURCE_DIR.length() + 1) < 0) {
                        names.add(name.substring(RESOURCE_DIR.length() + 1));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        names.sort(Comparator.naturalOrder());
        return names;
    }

    /**
     * Runs every packaged script needed for the benchmark {@code packages}, each with the first
     * of {@code candidates} that imports what it requires and at most {@code timeout}, and
     * returns what they gave. Progress and failures go to {@code log}, one line each.
     *
     * @param env extra environment for the scripts (the smoke run shortens their loops)
     */
    static Figures runAll(List<Interpreter> candidates, Collection<String> packages, Duration timeout,
                          Map<String, String> env, PrintStream log) {
        Map<String, Double> figures = new LinkedHashMap<>();
        Map<String, Interpreter> used = new LinkedHashMap<>();
        Map<String, String> hints = new LinkedHashMap<>();
        Path dir;
        try {
            dir = Files.createTempDirectory("pyconcurrent-bench-");
        } catch (IOException e) {
            log.println("CPython: cannot create a temporary directory (" + e.getMessage() + "); column skipped");
            return Figures.NONE;
        }
        try {
            List<String> extracted = new ArrayList<>();
            for (String file : packagedFiles()) {
                if (extract(file, dir, log)) {
                    extracted.add(file);
                }
            }
            for (String name : extracted) {
                if (!isScript(name)) {
                    continue;
                }
                Script script = Script.of(name, Files.readAllLines(dir.resolve(name), StandardCharsets.UTF_8));
                if (!script.neededFor(packages)) {
                    continue;
                }
                Optional<Interpreter> python = choose(candidates, script.requires());
                if (python.isEmpty()) {
                    hints.put(name, hint(script.requires()));
                    log.println("CPython: " + name + " not run: no interpreter here imports "
                            + String.join(", ", script.requires()) + " (tried "
                            + candidates.stream().map(Interpreter::toString).toList() + ")");
                    continue;
                }
                used.put(name, python.get());
                runOne(python.get(), dir, name, timeout, env, log).forEach(figures::put);
            }
        } catch (IOException e) {
            log.println("CPython: cannot read the extracted scripts (" + e.getMessage() + "); column skipped");
        } finally {
            deleteTree(dir);
        }
        return new Figures(figures, used, hints);
    }

    /**
     * Parses a script's output: {@code key<TAB>ns-per-op} per line; blank lines and {@code #}
     * comments are skipped, anything else malformed goes to {@code onBadLine}. A repeated key
     * keeps its last value.
     */
    static Map<String, Double> parse(Iterable<String> lines, Consumer<String> onBadLine) {
        Map<String, Double> figures = new LinkedHashMap<>();
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int tab = line.lastIndexOf('\t');
            if (tab <= 0) {
                onBadLine.accept(line);
                continue;
            }
            try {
                double nanos = Double.parseDouble(line.substring(tab + 1).strip());
                if (Double.isNaN(nanos) || nanos < 0) {
                    onBadLine.accept(line);
                } else {
                    figures.put(line.substring(0, tab).strip(), nanos);
                }
            } catch (NumberFormatException e) {
                onBadLine.accept(line);
            }
        }
        return figures;
    }

    /** Copies the packaged {@code file} into {@code dir}; false (and one line to {@code log}) if it cannot. */
    private static boolean extract(String file, Path dir, PrintStream log) {
        try (InputStream in = CpythonTwins.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + "/" + file)) {
            if (in == null) {
                log.println("CPython: " + file + " is not packaged; skipped");
                return false;
            }
            Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IOException e) {
            log.println("CPython: " + file + " could not be extracted (" + e.getMessage() + "); skipped");
            return false;
        }
    }

    private static Map<String, Double> runOne(Interpreter python, Path dir, String script, Duration timeout,
                                              Map<String, String> env, PrintStream log) {
        Path file = dir.resolve(script);
        Path out = dir.resolve(script + ".out");
        Path err = dir.resolve(script + ".err");
        try {
            long start = System.nanoTime();
            ProcessBuilder builder = new ProcessBuilder(python.command(), file.toString())
                    .directory(dir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                log.println("CPython: " + script + " ran over " + timeout.toSeconds() + " s; killed and skipped");
                return Map.of();
            }
            if (process.exitValue() != 0) {
                log.println("CPython: " + script + " failed (exit " + process.exitValue() + "): "
                        + lastLine(err) + "; skipped");
                return Map.of();
            }
            Map<String, Double> figures = parse(Files.readAllLines(out, StandardCharsets.UTF_8),
                    bad -> log.println("CPython: " + script + ": ignored malformed line: " + bad));
            log.printf(Locale.ROOT, "CPython: %s: %d figures in %.1f s with %s%n", script, figures.size(),
                    (System.nanoTime() - start) / 1e9, python);
            return figures;
        } catch (IOException e) {
            log.println("CPython: " + script + " could not run (" + e.getMessage() + "); skipped");
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.println("CPython: interrupted while running " + script + "; skipped");
            return Map.of();
        }
    }

    /** What each probe found, by command and modules: each is asked once per run. */
    private static final Map<List<String>, Optional<Interpreter>> PROBED = new java.util.concurrent.ConcurrentHashMap<>();

    /** The interpreter {@code command} starts, if it runs and imports every module of {@code modules}. */
    private static Optional<Interpreter> probe(String command, List<String> modules) {
        List<String> key = new ArrayList<>(modules);
        key.add(0, command);
        return PROBED.computeIfAbsent(key, k -> probeNow(command, modules));
    }

    private static Optional<Interpreter> probeNow(String command, List<String> modules) {
        List<String> cmd = List.of(command, "-c",
                modules.isEmpty() ? PROBE : PROBE + "; import " + String.join(", ", modules));
        try {
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            process.getOutputStream().close();
            // The probe prints two short lines, far below a pipe's capacity: waiting first is safe.
            if (!process.waitFor(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            List<String> lines = output.lines().toList();
            if (process.exitValue() != 0 || lines.size() < 2) {
                return Optional.empty();
            }
            return Optional.of(new Interpreter(command, lines.get(0).strip(), lines.get(1).strip()));
        } catch (IOException e) {
            return Optional.empty();   // not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String lastLine(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "no message" : lines.get(lines.size() - 1).strip();
    }

    private static Path codeSource() {
        try {
            return Path.of(CpythonTwins.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the benchmarks jar", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Best effort: a leftover temp directory is harmless and the OS cleans /tmp.
        }
    }
}
