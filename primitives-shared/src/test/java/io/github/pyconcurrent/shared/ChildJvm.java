package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.runtime.JvmFlags;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: a real child JVM, started with this JVM's {@code java} binary, the test classpath
 * and the toolkit's {@link JvmFlags#flags()}; its stdout and stderr are captured.
 *
 * <p>Two ways to say what the child runs:
 * <ul>
 *   <li>{@link #start(Class, String...)}: a class with a {@code public static void main(String[])};</li>
 *   <li>{@link #run(Task)}: a {@link Task} (a serializable lambda is fine), serialized here and
 *       passed as a base64 command-line argument to {@link #main(String[])}, which deserializes it
 *       through an {@link ObjectInputFilter} that admits only {@code io.github.pyconcurrent.*},
 *       serialized lambdas and {@code java.lang}/{@code java.util} basics, then runs it and exits
 *       0 (1 with the stack trace on stderr if it threw). Shared objects captured by the lambda
 *       arrive attached to the same shared memory.</li>
 * </ul>
 *
 * <pre>{@code
 * Array a = Array.of('i', 11, 22);
 * try (ChildJvm child = ChildJvm.run(() -> a.setInt(0, 100))) {
 *     assertEquals(0, child.waitFor(Duration.ofSeconds(60)), child::output);
 * }
 * }</pre>
 *
 * <p>{@link #close()} kills the child (SIGKILL) if it still runs and waits for it, so with
 * try-with-resources no child survives a test.
 */
public final class ChildJvm implements AutoCloseable {
    /** What a child runs: serializable, may throw. */
    @FunctionalInterface
    public interface Task extends Serializable {
        void run() throws Exception;
    }

    /** Flags for a fast-starting, small child; the toolkit's own flags come first. */
    private static final List<String> CHILD_TUNING = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    private final Process process;
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread stdoutPump;
    private final Thread stderrPump;

    private ChildJvm(List<String> command) {
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start child JVM: " + command, e);
        }
        stdoutPump = pump(process.getInputStream(), stdout, "stdout");
        stderrPump = pump(process.getErrorStream(), stderr, "stderr");
    }

    /** Starts a child JVM running {@code mainClass.main(args)}. */
    public static ChildJvm start(Class<?> mainClass, String... args) {
        return start(List.of(), mainClass, args);
    }

    /**
     * Starts a child JVM running {@code mainClass.main(args)}, with {@code jvmArgs} (e.g.
     * {@code -Dsome.property=value}) after the toolkit's flags.
     */
    public static ChildJvm start(List<String> jvmArgs, Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(JvmFlags.flags());
        command.addAll(CHILD_TUNING);
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return new ChildJvm(command);
    }

    /** Starts a child JVM running {@code task}, passed serialized (see the class comment). */
    public static ChildJvm run(Task task) {
        return run(List.of(), task);
    }

    /** As {@link #run(Task)}, with extra JVM arguments (see {@link #start(List, Class, String...)}). */
    public static ChildJvm run(List<String> jvmArgs, Task task) {
        return start(jvmArgs, ChildJvm.class, encode(task));
    }

    /** The java binary running this JVM. */
    public static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> System.getProperty("java.home") + "/bin/java");
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /**
     * Waits for the child to exit and returns its exit code; on timeout kills it and throws
     * {@link AssertionError} with its output.
     */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new AssertionError("child JVM " + pid() + " did not exit within " + timeout + "\n" + output());
            }
            stdoutPump.join(5_000);
            stderrPump.join(5_000);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Waits until the child's stdout contains {@code text}; returns false if the timeout elapsed or
     * the child exited first.
     */
    public boolean awaitOutput(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stdout) {
            while (stdout.indexOf(text) < 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !stdoutPump.isAlive())) {
                    return stdout.indexOf(text) >= 0;
                }
                try {
                    stdout.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
            return true;
        }
    }

    public String stdout() {
        return stdout.toString();
    }

    public String stderr() {
        return stderr.toString();
    }

    /** Both streams, labelled: for assertion messages. */
    public String output() {
        return "--- child " + process.pid() + " stdout ---\n" + stdout + "--- child stderr ---\n" + stderr;
    }

    /** Kills the child with SIGKILL ({@link Process#destroyForcibly()}) and waits until it is reaped. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("child JVM " + pid() + " survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Kills the child if it still runs and waits for it: nothing survives. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    /** Serializes a task to the base64 argument {@link #main(String[])} expects. */
    public static String encode(Task task) {
        return Base64.getEncoder().encodeToString(serialize(task));
    }

    /** Deserializes a task through {@link #FILTER}. */
    public static Task decode(String base64) {
        return deserialize(Base64.getDecoder().decode(base64));
    }

    /** Java-serializes {@code object}; {@link UncheckedIOException} if it cannot be. */
    static byte[] serialize(Object object) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(object.getClass().getName() + " is not serializable", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Deserializes {@code bytes} through {@link #FILTER}: the one way our tests read serialized
     * data, so none reads it unfiltered.
     */
    @SuppressWarnings("unchecked")
    static <T> T deserialize(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(FILTER);
            return (T) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Admits only our own classes, serialized lambdas, primitives and arrays of them, and
     * java.lang / java.util value types; everything else is rejected.
     */
    public static final ObjectInputFilter FILTER = info -> {
        Class<?> c = info.serialClass();
        if (c == null) {
            return info.depth() > 64 || info.references() > 100_000 ? ObjectInputFilter.Status.REJECTED
                    : ObjectInputFilter.Status.UNDECIDED;
        }
        while (c.isArray()) {
            c = c.getComponentType();
        }
        String n = c.getName();
        boolean allowed = c.isPrimitive()
                || n.startsWith("io.github.pyconcurrent.")
                || n.equals("java.lang.invoke.SerializedLambda")
                || (n.startsWith("java.lang.") && n.indexOf('.', "java.lang.".length()) < 0)
                || (n.startsWith("java.util.") && n.indexOf('.', "java.util.".length()) < 0)
                || n.startsWith("java.time.");
        return allowed ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
    };

    /** Child side of {@link #run(Task)}: decodes the task, runs it, exits 0, or 1 if it threw. */
    public static void main(String[] args) {
        int status = 0;
        try {
            decode(args[0]).run();
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    private static Thread pump(InputStream in, StringBuffer sink, String what) {
        return Thread.ofPlatform().daemon().name("child-" + what).start(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (sink) {
                        sink.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        sink.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the child is gone
            } finally {
                synchronized (sink) {
                    sink.notifyAll();
                }
            }
        });
    }
}
