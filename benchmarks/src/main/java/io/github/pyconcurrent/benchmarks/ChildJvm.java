package io.github.pyconcurrent.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the benchmarks in a JVM of its own, as the runner's non-JMH rows need
 * ({@link MemoryProbe}, {@link StartupProbe}): this JVM's {@code java}, the toolkit's flags
 * ({@link Compare#forkFlags()}, as JMH's forks get) and this class path; the child prints its
 * figures as {@code key<TAB>value} lines ({@link CpythonTwins#parse}).
 */
final class ChildJvm {
    private ChildJvm() {}

    /** The {@code java} of this JVM: every child JVM of the runner is the same JDK. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The command line that runs {@code main} with {@code args} in a JVM like this one. */
    static List<String> command(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(Compare.forkFlags());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Runs {@code main} with {@code args} for at most {@code timeout} and returns the figures it
     * printed (those printed before a failure count); {@code what} names it in the one line that
     * {@code log} gets on a failure or an overrun (the child and its descendants are then killed).
     */
    static Map<String, Double> figures(Class<?> main, List<String> args, Duration timeout, String what,
                                       PrintStream log) {
        try {
            Path out = Files.createTempFile("pyconcurrent-probe-", ".out");
            Path err = Files.createTempFile("pyconcurrent-probe-", ".err");
            try {
                java.lang.Process probe = new ProcessBuilder(command(main, args.toArray(String[]::new)))
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!probe.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    probe.descendants().forEach(ProcessHandle::destroyForcibly);
                    probe.destroyForcibly().waitFor();
                    log.println(what + ": the probe ran over " + timeout.toSeconds() + " s; left out");
                    return Map.of();
                }
                Map<String, Double> figures = CpythonTwins.parse(Files.readAllLines(out, StandardCharsets.UTF_8),
                        bad -> log.println(what + ": ignored " + bad));
                if (probe.exitValue() != 0) {
                    List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8).stream()
                            .filter(l -> !l.isBlank()).toList();
                    log.println(what + ": the probe failed (exit " + probe.exitValue() + (lines.isEmpty() ? ""
                            : ": " + lines.get(lines.size() - 1).strip()) + "); rows it gave kept");
                }
                return figures;
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            log.println(what + ": cannot run the probe (" + e.getMessage() + "); left out");
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }
}
