package io.github.pyconcurrent.chaos;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./run chaos [--minutes N] [--seed S] [--parts pool,queue,dict,lock,server,cluster]}: a seeded soak
 * test that kills, pauses and floods every part of the toolkit at once, then counts what was lost.
 * Exit status 0 only when every invariant held; on failure the seed and the last events are
 * printed so the run can be replayed (the fault schedule follows the seed; pids and timings do
 * not). There is no Python counterpart: CPython's multiprocessing has no such harness (Jepsen's
 * nemesis and FoundationDB's simulation are the models).
 */
public final class Chaos {
    private Chaos() {
    }

    public static void main(String[] args) {
        ChaosOptions options;
        try {
            options = ChaosOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ChaosRun.Result result = new ChaosRun(options, System.out).run();
        print(result, System.out);
        System.out.flush();
        // exit() rather than return: a worker or spare the toolkit still winds down must not keep the verdict waiting
        System.exit(result.ok() ? 0 : 1);
    }

    /** The result table, the faults by kind, and on failure the reasons and the last events. */
    static void print(ChaosRun.Result r, PrintStream out) {
        out.println();
        out.printf("%-7s %12s  %-44s %6s %6s %9s  %s%n", "part", "acknowledged", "faults suffered", "lost", "dup", "stall", "verdict");
        for (PartTally t : r.rows()) {
            out.printf("%-7s %12d  %-44s %6s %6s %8.1fs  %s%n", t.part, t.acknowledged(), faults(t.faults()),
                    t.lost() + "/" + t.lostAllowed(), t.duplicated() + "/" + t.duplicatedAllowed(),
                    t.longestStallNanos() / 1e9, t.ok() ? "OK" : "FAIL: " + String.join("; ", t.failures()));
            if (!t.note().isEmpty()) {
                out.printf("%-7s %12s  %s%n", "", "", t.note());
            }
            if (t.longestStallNanos() > 0) {
                out.printf("%-7s %12s  longest stall: %s%n", "", "", t.longestStallWhat());
            }
        }
        out.println("(lost and dup: found / explained by kills; stall: the longest a caller waited)");
        out.printf("faults struck: %d in %s (longest gap between two: %.1f s): %s%n", r.totalFaults(), ChaosRun.format(r.elapsed()),
                r.longestFaultGapNanos() / 1e9, faults(r.faults()));
        if (r.ok()) {
            out.printf("chaos: PASS (seed %d)%n", r.seed());
        } else {
            out.printf("chaos: FAIL (seed %d: replay with ./run chaos --seed %d)%n", r.seed(), r.seed());
            out.println("last events:");
            for (String e : r.lastEvents()) {
                out.println("  " + e);
            }
        }
    }

    private static String faults(Map<FaultKind, Long> faults) {
        if (faults.isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        faults.forEach((k, n) -> parts.add(k.label + " " + n));
        return String.join(", ", parts);
    }
}
