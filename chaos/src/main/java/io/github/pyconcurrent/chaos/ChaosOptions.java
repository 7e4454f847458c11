package io.github.pyconcurrent.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The options of {@code ./run chaos}: {@code --minutes N} (default 2; fractions allowed),
 * {@code --seed S} (default: a fresh one, printed), {@code --parts pool,queue,dict,lock,server,cluster}
 * (default all; {@code lock} is another name of the dict part: one part holds the dict, the Array
 * and the Lock, since its writers take the Lock between merges).
 */
record ChaosOptions(Duration duration, long seed, Set<String> parts, Duration stallBound, boolean dropOneIncrement,
                    Set<FaultKind> faultKinds) {
    static final List<String> ALL_PARTS = List.of("pool", "queue", "dict", "server", "cluster");
    static final Duration DEFAULT_STALL_BOUND = Duration.ofSeconds(30);

    static final String USAGE = "usage: ./run chaos [--minutes N] [--seed S] [--parts pool,queue,dict,lock,server,cluster]"
            + " (default: all; lock is the dict part)";

    static ChaosOptions parse(String... args) {
        Duration duration = Duration.ofMinutes(2);
        long seed = System.nanoTime() ^ ProcessHandle.current().pid() * 0x9E3779B97F4A7C15L;
        Set<String> parts = new LinkedHashSet<>(ALL_PARTS);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value; " + USAGE);
            }
            String v = args[++i];
            switch (a) {
                case "--minutes" -> {
                    double m = Double.parseDouble(v);
                    if (m <= 0) {
                        throw new IllegalArgumentException("--minutes must be positive, got " + v);
                    }
                    duration = Duration.ofMillis((long) (m * 60_000));
                }
                case "--seed" -> seed = Long.parseLong(v);
                case "--parts" -> {
                    parts = new LinkedHashSet<>();
                    for (String p : v.split(",")) {
                        String name = p.trim().equals("lock") ? "dict" : p.trim();
                        if (!ALL_PARTS.contains(name)) {
                            throw new IllegalArgumentException("unknown part '" + p + "'; " + USAGE);
                        }
                        parts.add(name);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + a + "; " + USAGE);
            }
        }
        return new ChaosOptions(duration, seed, parts, DEFAULT_STALL_BOUND, false, EnumSet.allOf(FaultKind.class));
    }

    /** Test-only: the dict part drops one acknowledged increment, so the checker must fail the run. */
    ChaosOptions withDroppedIncrement() {
        return new ChaosOptions(duration, seed, parts, stallBound, true, faultKinds);
    }

    /** Test-only: the injector strikes only these kinds. */
    ChaosOptions withFaultKinds(Set<FaultKind> kinds) {
        return new ChaosOptions(duration, seed, parts, stallBound, dropOneIncrement, EnumSet.copyOf(kinds));
    }

    List<String> partList() {
        return new ArrayList<>(parts);
    }
}
