package io.github.pyconcurrent.benchmarks;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;

/**
 * Reads the {@link Versus} pairings of benchmark classes by reflection, keyed by JMH's benchmark
 * names, so the runner needs no list of its own: a benchmark class added by any module is paired
 * as soon as its methods carry {@code @Versus}.
 *
 * <p>JMH names a plain benchmark {@code package.Class.method} and a multi-threaded one
 * ({@code @Group("g")} over several {@code @GroupThreads} methods) {@code package.Class.g}; a
 * {@code @Versus} on any method of a group pairs the whole group, and its {@code jdk} may name a
 * method or a group of the same class.
 */
final class VersusCatalog {
    private final ClassLoader loader;
    /** Classes already resolved, by the class part of a benchmark name; empty = not loadable. */
    private final Map<String, Optional<Class<?>>> classes = new HashMap<>();

    VersusCatalog(ClassLoader loader) {
        this.loader = loader;
    }

    /** Returns the first pairing of {@code benchmark}, or empty when it carries no {@code @Versus}. */
    Optional<Pairing> pairingOf(String benchmark) {
        return pairingsOf(benchmark).stream().findFirst();
    }

    /**
     * Returns the pairings of {@code benchmark}, one per {@code @Versus} in the order written (a
     * row each), or an empty list when it carries none.
     */
    List<Pairing> pairingsOf(String benchmark) {
        int dot = benchmark.lastIndexOf('.');
        if (dot < 0) {
            return List.of();
        }
        String className = benchmark.substring(0, dot);
        String name = benchmark.substring(dot + 1);
        return classFor(className).flatMap(type -> benchmarkMethods(type, name)
                .filter(m -> m.getAnnotationsByType(Versus.class).length > 0)
                .findFirst()
                .map(m -> Arrays.stream(m.getAnnotationsByType(Versus.class)).map(versus -> {
                    String label = versus.label().isEmpty() ? defaultLabel(benchmark) : versus.label();
                    return new Pairing(benchmark, label, className + "." + versus.jdk(), versus.cpython(),
                            versus.percentile());
                }).toList()))
                .orElse(List.of());
    }

    /**
     * Returns whether {@code benchmark} names a {@code @Benchmark} method or group that exists:
     * used to report a {@code @Versus(jdk = ...)} that names nothing.
     */
    boolean exists(String benchmark) {
        int dot = benchmark.lastIndexOf('.');
        return dot > 0 && classFor(benchmark.substring(0, dot))
                .map(type -> benchmarkMethods(type, benchmark.substring(dot + 1)).findAny().isPresent())
                .orElse(false);
    }

    /**
     * Returns {@code selected} plus the JDK baseline of each of them that has one, in that order:
     * filtering with {@code --include} must never leave a benchmark without its baseline.
     */
    Set<String> withBaselines(Collection<String> selected) {
        Set<String> all = new LinkedHashSet<>(selected);
        for (String benchmark : selected) {
            pairingsOf(benchmark).forEach(p -> all.add(p.jdkBaseline()));
        }
        return all;
    }

    /** Returns the benchmarks among {@code all} that some pattern finds (all of them when none). */
    static Set<String> select(Collection<String> all, Collection<Pattern> includes) {
        Set<String> selected = new LinkedHashSet<>();
        for (String benchmark : all) {
            if (includes.isEmpty() || includes.stream().anyMatch(p -> p.matcher(benchmark).find())) {
                selected.add(benchmark);
            }
        }
        return selected;
    }

    /** {@code Class.method} (or {@code Class.group}): the table's name for an unlabelled row. */
    static String defaultLabel(String benchmark) {
        int dot = benchmark.lastIndexOf('.');
        int classDot = dot < 0 ? -1 : benchmark.lastIndexOf('.', dot - 1);
        return benchmark.substring(classDot + 1);
    }

    /** The {@code @Benchmark} methods that make up {@code name}: the method or the group. */
    private static java.util.stream.Stream<Method> benchmarkMethods(Class<?> type, String name) {
        return Arrays.stream(type.getMethods())
                .filter(m -> m.isAnnotationPresent(Benchmark.class))
                .filter(m -> m.getAnnotation(Group.class) == null
                        ? m.getName().equals(name)
                        : m.getAnnotation(Group.class).value().equals(name))
                .sorted(Comparator.comparing(Method::getName));
    }

    /**
     * Loads the class part of a benchmark name without initialising it. JMH writes a nested
     * class as {@code Outer.Inner}, so the dots are turned into {@code $} from the right until a
     * class loads.
     */
    private Optional<Class<?>> classFor(String className) {
        return classes.computeIfAbsent(className, name -> {
            String candidate = name;
            while (true) {
                try {
                    return Optional.of(Class.forName(candidate, false, loader));
                } catch (ClassNotFoundException | LinkageError e) {
                    int dot = candidate.lastIndexOf('.');
                    if (dot < 0) {
                        return Optional.empty();
                    }
                    candidate = candidate.substring(0, dot) + '$' + candidate.substring(dot + 1);
                }
            }
        });
    }
}
