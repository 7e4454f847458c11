package io.github.pyconcurrent.shared;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Test helper: a child JVM that creates process-shared objects on request and sends back their
 * handles, so a test suite can run against objects whose segments another process created and
 * owns (this JVM only attaches). Protocol on the child's stdin/stdout: a line {@code kind value}
 * in, a line {@code H<n> <base64 handle> E<n>} out. Closing it ends the child normally, which
 * unlinks its segments.
 */
final class RemoteFactory implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ChildJvm child;
    private final OutputStream requests;
    private int sent;

    RemoteFactory() {
        child = ChildJvm.start(RemoteFactory.class);
        requests = child.process().getOutputStream();
    }

    /** A new object of {@code kind} (Lock, RLock, Semaphore, BoundedSemaphore, Event) created in the child. */
    synchronized <T> T create(String kind, int value) {
        int n = ++sent;
        try {
            requests.write((kind + " " + value + "\n").getBytes(StandardCharsets.US_ASCII));
            requests.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(child.output(), e);
        }
        assertTrue(child.awaitOutput(" E" + n + "\n", TIMEOUT), child::output);
        String out = child.stdout();
        int start = out.indexOf("H" + n + " ") + ("H" + n + " ").length();
        String base64 = out.substring(start, out.indexOf(" E" + n + "\n", start));
        if (base64.startsWith("!")) {
            // The constructor threw in the child: rethrow what the suite expects of a constructor.
            if (base64.equals("!" + IllegalArgumentException.class.getName())) {
                throw new IllegalArgumentException(kind + "(" + value + ") refused by the child");
            }
            throw new AssertionError("the child failed to create " + kind + ": " + base64 + "\n" + child.output());
        }
        return ChildJvm.deserialize(Base64.getDecoder().decode(base64));
    }

    /** Ends the child normally (it exits when its stdin closes) and waits for it. */
    @Override
    public void close() {
        try (child) {
            requests.close();
            child.waitFor(TIMEOUT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The child: creates what is asked, keeps it reachable, answers with its handle. */
    public static void main(String[] args) throws IOException {
        List<Object> keep = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        int n = 0;
        for (String line; (line = in.readLine()) != null; ) {
            String[] request = line.split(" ");
            int value = Integer.parseInt(request[1]);
            n++;
            String answer;
            try {
                Serializable made = switch (request[0]) {
                    case "Lock" -> new Lock();
                    case "RLock" -> new RLock();
                    case "Semaphore" -> new Semaphore(value);
                    case "BoundedSemaphore" -> new BoundedSemaphore(value);
                    case "Event" -> new Event();
                    default -> throw new IllegalStateException("unknown kind: " + line);
                };
                keep.add(made);
                answer = Base64.getEncoder().encodeToString(ChildJvm.serialize(made));
            } catch (RuntimeException e) {
                answer = "!" + e.getClass().getName();
            }
            System.out.print("H" + n + " " + answer + " E" + n + "\n");
            System.out.flush();
        }
    }
}
