package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Queue, JoinableQueue and Pipe used the way Python programs use them: with Process children. */
class MessagingWithProcessTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Test
    void childrenProduceParentConsumes() {
        try (Queue<String> q = new Queue<>()) {
            List<Process> producers = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                int id = p;
                Process proc = new Process(() -> {
                    for (int i = 0; i < 100; i++) {
                        q.put(id + ":" + i);
                    }
                });
                proc.setDaemon(true);
                proc.start();
                producers.add(proc);
            }
            Set<String> got = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                got.add(q.get(LIMIT));
            }
            assertEquals(300, got.size());
            for (Process proc : producers) {
                assertTrue(proc.join(LIMIT));
                assertEquals(0, proc.exitCode());
            }
        }
    }

    @Test
    void joinableQueueWorkersMarkEveryTaskDone() {
        try (JoinableQueue<Integer> tasks = new JoinableQueue<>(); Queue<Integer> results = new Queue<>()) {
            List<Process> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                Process worker = new Process(() -> {
                    while (true) {
                        int n = tasks.get();
                        if (n < 0) {
                            tasks.taskDone();
                            return;
                        }
                        results.put(n * n);
                        tasks.taskDone();
                    }
                });
                worker.setDaemon(true);
                worker.start();
                workers.add(worker);
            }
            int sum = 0;
            for (int i = 1; i <= 50; i++) {
                tasks.put(i);
                sum += i * i;
            }
            tasks.put(-1);
            tasks.put(-1);
            tasks.join();
            int got = 0;
            for (int i = 0; i < 50; i++) {
                got += results.get(LIMIT);
            }
            assertEquals(sum, got);
            for (Process w : workers) {
                assertTrue(w.join(LIMIT));
            }
        }
    }

    @Test
    void pipeToAChildAndEndOfFileWhenItIsKilled() {
        try (Pipe pipe = Pipe.open()) {
            Connection parentEnd = pipe.left();
            Connection childEnd = pipe.right();
            Process child = new Process(() -> {
                childEnd.send("hello " + childEnd.recv());
                childEnd.recv(); // blocks until killed
            });
            child.setDaemon(true);
            child.start();
            childEnd.close(); // as a Python parent closes its copy of the child's end
            parentEnd.send("parent");
            assertEquals("hello parent", parentEnd.recv());
            child.kill();
            assertTrue(child.join(LIMIT));
            UncheckedIOException eof = assertThrows(UncheckedIOException.class, parentEnd::recv);
            assertInstanceOf(EOFException.class, eof.getCause());
        }
    }

    @Test
    void aChildSendsBytesOneWay() {
        try (Pipe pipe = Pipe.open(false)) {
            Connection reader = pipe.left();
            Connection writer = pipe.right();
            Process child = new Process(() -> {
                writer.sendBytes(new byte[] {1, 2, 3});
                writer.close();
            });
            child.setDaemon(true);
            child.start();
            writer.close();
            assertTrue(reader.poll(LIMIT));
            assertEquals(List.of((byte) 1, (byte) 2, (byte) 3), boxed(reader.recvBytes()));
            assertTrue(child.join(LIMIT));
            assertThrows(UncheckedIOException.class, reader::recvBytes);
        }
    }

    private static List<Byte> boxed(byte[] bytes) {
        List<Byte> out = new ArrayList<>();
        for (byte b : bytes) {
            out.add(b);
        }
        return out;
    }
}
