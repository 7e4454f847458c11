package io.github.pyconcurrent.futures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.runtime.JvmFlags;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Python's {@code _python_exit} in a real child JVM: a program whose main returns without shutting
 * its ThreadPoolExecutor down still runs the queued tasks before the JVM exits.
 */
class AtExitTest {
    /** The child: its first task can only finish once the JVM has begun to exit, so without the wait at exit it never prints. */
    public static final class Child {
        public static void main(String[] args) {
            CountDownLatch exiting = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(exiting::countDown));
            ThreadPoolExecutor executor = new ThreadPoolExecutor(1);
            executor.submit(() -> {
                exiting.await();
                System.out.println("task 1 ran at exit");
                return null;
            });
            executor.submit(() -> {
                System.out.println("task 2 ran at exit");
                return null;
            });
        }
    }

    /** Queued tasks of an executor left running finish before the JVM exits. */
    @Test
    void queuedTasksRunBeforeTheJvmExits() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(JvmFlags.flags());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Child.class.getName());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            child.getOutputStream().close();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not exit");
            assertEquals(0, child.exitValue(), out);
            assertEquals(List.of("task 1 ran at exit", "task 2 ran at exit"), out.lines().toList(), out);
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
