package io.github.pyconcurrent.benchmarks.socketserver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A load server running as a child process ({@link LoadServer}, or CPython's
 * {@code _load_server.py}), driven through its standard streams: it announces
 * {@code listening PORT}, answers {@code gc} with {@code ok} (and, from a JVM, its heap in use), and stops at end of input. Closing
 * this closes that input and waits for the process; one that does not stop within
 * {@value #STOP_SECONDS} s is killed with its descendants (a forking server's children), so none
 * outlives the runner. The child inherits the environment (the CI's run tag among it) and the
 * working directory; its stderr goes to a temporary file, quoted when it fails and then deleted.
 *
 * <pre>{@code
 * try (ServerProcess server = ServerProcess.start(List.of(java, "-cp", cp, LoadServer.class.getName(), "virtual"))) {
 *     LoadClient.run(server.address(), 64, warmup, window, server.pid());
 * }
 * }</pre>
 */
public final class ServerProcess implements AutoCloseable {
    private static final long STOP_SECONDS = 15;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration GC_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path stderr;
    private final OutputStream control;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final InetSocketAddress address;

    private ServerProcess(Process process, Path stderr) throws IOException {
        this.process = process;
        this.stderr = stderr;
        this.control = process.getOutputStream();
        Thread.ofPlatform().daemon().name("load-server-stdout").start(this::readLines);
        String first = expect("listening ", START_TIMEOUT);
        try {
            address = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    Integer.parseInt(first.substring("listening ".length()).strip()));
        } catch (NumberFormatException e) {
            throw new IOException("the server announced " + first);
        }
    }

    /** Starts {@code command} and waits until it listens; on failure nothing is left running. */
    public static ServerProcess start(List<String> command) throws IOException {
        Path stderr = Files.createTempFile("pyconcurrent-load-server-", ".err");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        } catch (IOException e) {
            Files.deleteIfExists(stderr);
            throw e;
        }
        try {
            return new ServerProcess(process, stderr);
        } catch (IOException | RuntimeException e) {
            stop(process);
            String why = lastLine(stderr);
            Files.deleteIfExists(stderr);
            throw new IOException(e.getMessage() + (why.isEmpty() ? "" : "; its stderr: " + why), e);
        }
    }

    public InetSocketAddress address() {
        return address;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Asks the server to collect its garbage and waits for it to say it has; returns the heap in
     * use it then reports in bytes, or NaN when it reports none (CPython's).
     */
    public double gc() throws IOException {
        control.write("gc\n".getBytes(StandardCharsets.US_ASCII));
        control.flush();
        String[] reply = expect("ok", GC_TIMEOUT).strip().split("\\s+");
        try {
            return reply.length > 1 ? Double.parseDouble(reply[1]) : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private void readLines() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private String expect(String prefix, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line != null && line.startsWith(prefix)) {
                    return line;
                }
                if (line == null && (System.nanoTime() - deadline >= 0 || !process.isAlive())) {
                    throw new IOException("the server did not say \"" + prefix.strip() + "\""
                            + (process.isAlive() ? " within " + timeout.toSeconds() + " s" : " (it exited " + process.exitValue() + ")"));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            control.close();   // end of input: the server stops
        } catch (IOException e) {
            // it is gone already
        }
        stop(process);
        try {
            Files.deleteIfExists(stderr);
        } catch (IOException e) {
            // a temporary file: the system's cleaning takes it
        }
    }

    /** Waits for the process to end after its input closed; kills it and its descendants past the limit. */
    private static void stop(Process process) {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String lastLine(Path file) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = all.size() - 1; i >= 0; i--) {
                if (!all.get(i).isBlank()) {
                    return all.get(i).strip();
                }
            }
        } catch (IOException e) {
            // no stderr to quote
        }
        return "";
    }
}
