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
 * The one way the benchmarks start a JVM of their own by hand (JMH's forks aside): this JVM's
 * {@code java}, the toolkit's flags ({@link Compare#forkFlags()}, as JMH's forks get) and this
 * class path. {@link #figures} runs one of the runner's probes ({@link MemoryProbe},
 * {@link StartupProbe}), which print their figures as {@code key<TAB>value} lines
 * ({@link CpythonTwins#parse}).
 */
public final class ChildJvm {
    private ChildJvm() {}

    /** The {@code java} of this JVM: every child JVM of the benchmarks is the same JDK. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The command line that runs {@code main} with {@code args} in a JVM like this one: the toolkit's flags, this class path. */
    public static List<String> command(Class<?> main, String... args) {
        return command(List.of(), main, args);
    }

    /** {@link #command(Class, String...)} with {@code jvmOptions} after the toolkit's flags (a child's own tuning). */
    public static List<String> command(List<String> jvmOptions, Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(Compare.forkFlags());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** A bare JVM: {@code java -cp classPath main args}, none of the toolkit's flags (a baseline's cost). */
    public static List<String> bare(String classPath, Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-cp", classPath, main.getName()));
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
