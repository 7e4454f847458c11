package io.github.pyconcurrent.benchmarks.shared;

import io.github.pyconcurrent.benchmarks.ChildJvm;
import io.github.pyconcurrent.shared.Manager;
import io.github.pyconcurrent.shared.SharedDict;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * How long a fresh JVM takes to attach to a {@link SharedDict} and read one key: the cost every
 * child process that receives a dict pays before its first operation. Not a JMH benchmark (JMH
 * measures warm code; this is one cold start per sample).
 *
 * <p>Usage (from the repository root, after {@code ./run mvn -q -pl benchmarks -am package -DskipTests}):
 * <pre>
 * java $(sed -n 's/^jvm.flags=//p' primitives-thread/target/classes/io/github/pyconcurrent/runtime/jvm-flags.properties) \
 *      -cp benchmarks/target/benchmarks.jar io.github.pyconcurrent.benchmarks.shared.SharedDictAttachTime 9
 * </pre>
 * The parent creates a dict, writes its handle to a temporary file, then starts N children one
 * after another, each with the toolkit's JVM flags plus the child tuning of the test helper
 * ({@code -XX:+UseSerialGC -XX:TieredStopAtLevel=1}). A child deserializes the handle (attach),
 * does one {@code get}, and prints the milliseconds from its {@code main} to the result; the
 * parent also times the child's whole life (JVM start to exit). Prints both medians.
 */
public final class SharedDictAttachTime {
    private static final List<String> CHILD_TUNING = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    private SharedDictAttachTime() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--child")) {
            child(Path.of(args[1]));
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path handle = Files.createTempFile("shared-dict-handle", ".ser");
        try (Manager manager = Manager.start()) {
            SharedDict<Integer, Integer> dict = manager.dict(Integer.class, Integer.class);
            dict.put(1, 101);
            try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(handle))) {
                out.writeObject(dict);
            }
            double[] inChild = new double[runs];
            double[] wall = new double[runs];
            for (int i = 0; i < runs; i++) {
                List<String> command = ChildJvm.command(CHILD_TUNING, SharedDictAttachTime.class, "--child", handle.toString());
                long start = System.nanoTime();
                Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                String out = new String(child.getInputStream().readAllBytes()).trim();
                if (child.waitFor() != 0) {
                    throw new IllegalStateException("child failed: " + out);
                }
                wall[i] = (System.nanoTime() - start) / 1e6;
                inChild[i] = Double.parseDouble(out);
                System.out.printf("run %d: attach+get %.0f ms in the child, child JVM start to exit %.0f ms%n", i + 1, inChild[i], wall[i]);
            }
            System.out.printf("median of %d: attach+get %.0f ms, whole child %.0f ms%n", runs, median(inChild), median(wall));
        } finally {
            Files.deleteIfExists(handle);
        }
    }

    private static void child(Path handle) throws IOException, ClassNotFoundException {
        long start = System.nanoTime();
        SharedDict<?, ?> dict;
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(handle))) {
            in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("io.github.pyconcurrent.**;java.lang.*;!*"));
            dict = (SharedDict<?, ?>) in.readObject();
        }
        Object value = dict.get(1);
        double ms = (System.nanoTime() - start) / 1e6;
        if (!Integer.valueOf(101).equals(value)) {
            throw new IllegalStateException("expected 101, read " + value);
        }
        System.out.printf("%.1f%n", ms);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
