package io.github.pyconcurrent.benchmarks.multiprocessing;

import io.github.pyconcurrent.benchmarks.ChildJvm;
import io.github.pyconcurrent.benchmarks.Versus;
import io.github.pyconcurrent.multiprocessing.Multiprocessing;
import io.github.pyconcurrent.multiprocessing.Process;
import io.github.pyconcurrent.runtime.JvmFlags;
import io.github.pyconcurrent.shared.Event;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code Process.start()} until the target runs: from before {@code start()} to this JVM seeing
 * the shared {@link Event} that the target sets as its first action. One process per
 * (single-shot) invocation; it is joined in {@code @TearDown(Level.Invocation)}, outside the
 * measurement, as {@code process_bench.py} does on CPython's side. The {@code Process} object is
 * made in the invocation's set-up, also outside.
 *
 * <ul>
 *   <li>{@code forkserver} (the default start method): before each start the set-up waits until
 *       the spares are connected and warm ({@link Multiprocessing#warmUp(Duration)}), so every
 *       start gets a warm spare; the replacement spare the start asks for does start during the
 *       measurement, on the same cores, as it would in use. Compared with CPython's
 *       {@code forkserver} and with its {@code fork}.</li>
 *   <li>{@code spawn}: a fresh JVM per start, against CPython's {@code spawn}.</li>
 * </ul>
 * The JDK baseline is the bare equivalent: {@code ProcessBuilder} starting the same {@code java}
 * with {@link JvmFlags#flags()} and the start-up tuning the toolkit gives its children
 * ({@value #CHILD_TUNING}), running {@link ReadyChild}, a {@code main} that deserializes the
 * {@code Event} and sets it.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class ProcessStartBenchmark {
    /** What {@code ChildLauncher} gives every child by default ({@code pyconcurrent.child.tuning}). */
    static final String CHILD_TUNING = "-XX:+UseSerialGC -XX:-UsePerfData -Xms8m -XX:CICompilerCount=2";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** One {@link Process} per invocation, started with the start method of the subclass. */
    @State(Scope.Benchmark)
    public abstract static class Starts {
        final Event ready = new Event();
        Process process;

        abstract String startMethod();

        @Setup(Level.Trial)
        public void useStartMethod() {
            Multiprocessing.setStartMethod(startMethod(), true);
            // One unmeasured start: the control socket, the spawner thread, the first spares.
            prepare();
            process.start();
            awaitTarget(ready);
            join();
        }

        @Setup(Level.Invocation)
        public void prepare() {
            ready.clear();
            if (!Multiprocessing.warmUp(TIMEOUT)) {
                throw new IllegalStateException("the forkserver's spares were not warm within " + TIMEOUT);
            }
            Event event = ready;
            process = new Process(event::set);
        }

        @TearDown(Level.Invocation)
        public void join() {
            process.join();
            process.close();
        }
    }

    public static class Forkserver extends Starts {
        @Override
        String startMethod() {
            return Multiprocessing.FORKSERVER;
        }
    }

    public static class Spawn extends Starts {
        @Override
        String startMethod() {
            return Multiprocessing.SPAWN;
        }
    }

    @Benchmark
    @Versus(jdk = "processBuilder", cpython = "multiprocessing.Process start until target runs, forkserver",
            label = "Process.start() until the target runs, forkserver")
    @Versus(jdk = "processBuilder", cpython = "multiprocessing.Process start until target runs, fork",
            label = "Process.start() until the target runs, forkserver vs CPython fork")
    public void forkserver(Forkserver s) {
        s.process.start();
        awaitTarget(s.ready);
    }

    @Benchmark
    @Versus(jdk = "processBuilder", cpython = "multiprocessing.Process start until target runs, spawn",
            label = "Process.start() until the target runs, spawn")
    public void spawn(Spawn s) {
        s.process.start();
        awaitTarget(s.ready);
    }

    /** The baseline's child command line and the child of the current invocation. */
    @State(Scope.Benchmark)
    public static class Jdk {
        final Event ready = new Event();
        List<String> command;
        java.lang.Process child;

        @Setup(Level.Trial)
        public void command() {
            command = ChildJvm.command(List.of(CHILD_TUNING.split(" ")), ReadyChild.class, encode(ready));
        }

        @Setup(Level.Invocation)
        public void clear() {
            ready.clear();
        }

        @TearDown(Level.Invocation)
        public void join() throws InterruptedException {
            if (!child.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS) || child.exitValue() != 0) {
                child.destroyForcibly().waitFor();
                throw new IllegalStateException("the baseline's child JVM failed");
            }
        }

        @TearDown(Level.Trial)
        public void kill() {
            if (child != null && child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    /** JDK baseline: {@code ProcessBuilder.start()} of {@code java ... ReadyChild} until it sets the event. */
    @Benchmark
    public void processBuilder(Jdk s) throws IOException {
        s.child = new ProcessBuilder(s.command).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        awaitTarget(s.ready);
    }

    static void awaitTarget(Event ready) {
        if (!ready.waitFor(TIMEOUT)) {
            throw new IllegalStateException("the child did not run its target within " + TIMEOUT);
        }
    }

    /** The baseline's child: sets the event it is handed (Base64 of its serialized handle), then exits. */
    public static final class ReadyChild {
        private ReadyChild() {}

        public static void main(String[] args) throws IOException, ClassNotFoundException {
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(args[0])))) {
                in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("io.github.pyconcurrent.**;java.lang.*;!*"));
                ((Event) in.readObject()).set();
            }
        }
    }

    static String encode(Event event) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
