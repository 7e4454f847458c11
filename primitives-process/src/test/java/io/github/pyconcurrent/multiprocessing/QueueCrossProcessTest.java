package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.shared.ChildJvm;
import io.github.pyconcurrent.shared.internal.ShmRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The queues across real JVMs ({@link ChildJvm}): a lambda capturing a queue runs in a child and
 * works on the same queue as this JVM.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QueueCrossProcessTest {
    private static final Duration CHILD = Duration.ofSeconds(60);

    @AfterAll
    static void nothingLeftBehind() {
        Leaks.assertNothingLeft();
    }

    private static void assertExitsZero(ChildJvm child) {
        assertEquals(0, child.waitFor(CHILD), child::output);
    }

    /** A child producer, the parent consumer: every item arrives, in order, on a Queue and a SimpleQueue. */
    @Test
    void childProducesParentConsumes() {
        try (Queue<Integer> q = new Queue<>(); SimpleQueue<String> s = new SimpleQueue<>();
                ChildJvm child = ChildJvm.run(() -> {
                    for (int i = 0; i < 2000; i++) {
                        q.put(i);
                    }
                    s.put("done");
                })) {
            for (int i = 0; i < 2000; i++) {
                assertEquals(i, q.get());
            }
            assertEquals("done", s.get());
            assertExitsZero(child);
        }
    }

    /**
     * The parent produces items of varied sizes (many more bytes than the small ring holds, some
     * wrapping its end) into a JoinableQueue; a child consumes, checks and task-dones each; the
     * parent's join returns once all are done.
     */
    @Test
    void parentProducesChildConsumesAndJoin() {
        int n = 1500;
        try (JoinableQueue<byte[]> q = new JoinableQueue<>(0, 16384); Queue<String> verdict = new Queue<>();
                ChildJvm child = ChildJvm.run(() -> {
                    String result = "ok";
                    for (int i = 0; i < n; i++) {
                        byte[] got = q.get();
                        if (!java.util.Arrays.equals(got, QueueTest.filled(i, QueueTest.size(i)))) {
                            result = "item " + i + " differs";
                        }
                        q.taskDone();
                    }
                    verdict.put(result);
                })) {
            for (int i = 0; i < n; i++) {
                q.put(QueueTest.filled(i, QueueTest.size(i)));
            }
            q.join();
            assertEquals("ok", verdict.get());
            assertExitsZero(child);
        }
    }

    /** A bounded queue between JVMs: the child's puts wait for the parent's gets; order holds. */
    @Test
    void boundedAcrossJvms() {
        try (Queue<Integer> q = new Queue<>(3);
                ChildJvm child = ChildJvm.run(() -> {
                    for (int i = 0; i < 500; i++) {
                        q.put(i);
                    }
                })) {
            for (int i = 0; i < 500; i++) {
                assertEquals(i, q.get());
            }
            assertExitsZero(child);
        }
    }

    /** Three producer JVMs: every item arrives once, each producer's items in its own order. */
    @Test
    void severalProducers() {
        int producers = 3;
        int each = 1000;
        try (Queue<int[]> q = new Queue<>(0, 8192)) {
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int p = 0; p < producers; p++) {
                    int id = p;
                    children.add(ChildJvm.run(() -> {
                        for (int i = 0; i < each; i++) {
                            q.put(new int[] {id, i});
                        }
                    }));
                }
                int[] next = new int[producers];
                for (int k = 0; k < producers * each; k++) {
                    int[] item = q.get();
                    assertEquals(next[item[0]]++, item[1], "producer " + item[0] + " out of order");
                }
                children.forEach(QueueCrossProcessTest::assertExitsZero);
                assertArrayEquals(new int[] {each, each, each}, next);
                assertTrue(q.empty());
            } finally {
                children.forEach(ChildJvm::close);
            }
        }
    }

    /**
     * A child SIGKILLed in a tight put loop (possibly mid-copy, or holding the write lock) while
     * this JVM consumes: every item that arrives is whole and they are consecutive, and afterwards
     * this JVM can still put and get (taking a dead holder's lock over).
     */
    @Test
    void producerKilledMidPut() throws Exception {
        try (Queue<Object> q = new Queue<>(0, 65536);
                ChildJvm child = ChildJvm.run(() -> {
                    for (int i = 0; ; i++) {
                        q.put(QueueTest.filled(i, (i * 7919) % 20000));
                    }
                })) {
            List<byte[]> got = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread consumer = Thread.ofPlatform().start(() -> {
                try {
                    while (true) {
                        Object item = q.get();
                        if ("END".equals(item)) {
                            return;
                        }
                        synchronized (got) {
                            got.add((byte[]) item);
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            // Let the child get going: its first item shows it runs.
            while (true) {
                synchronized (got) {
                    if (!got.isEmpty()) {
                        break;
                    }
                }
                Thread.onSpinWait();
            }
            child.kill();
            q.put("END");                       // may need the dead child's write lock
            consumer.join();
            assertEquals(null, failure.get());
            assertTrue(got.size() > 0);
            for (int i = 0; i < got.size(); i++) {
                assertEquals(i, QueueTest.seqOf(got.get(i)), "items must be consecutive");
                assertArrayEquals(QueueTest.filled(i, (i * 7919) % 20000), got.get(i), "item " + i + " torn");
            }
            q.put("after");
            assertEquals("after", q.get());
            assertTrue(q.empty());
        }
    }

    /** An unbounded put never blocks: a child puts far more than the ring holds and exits; its feeder flushes first. */
    @Test
    void childExitFlushesItsBacklog() {
        try (Queue<byte[]> q = new Queue<>(0, 4096);
                ChildJvm child = ChildJvm.run(() -> {
                    for (int i = 0; i < 200; i++) {
                        q.put(QueueTest.filled(i, 1000));
                    }
                    System.out.println("all put");
                })) {
            assertTrue(child.awaitOutput("all put", CHILD), child::output);
            for (int i = 0; i < 200; i++) {
                assertArrayEquals(QueueTest.filled(i, 1000), q.get());
            }
            assertExitsZero(child);
        }
    }

    /**
     * A reader SIGKILLed in the middle of taking an item (holding the ring's read lock, the item
     * not yet freed: what a reader killed mid-copy leaves) loses nothing: the next reader takes the
     * dead holder's lock over and gets that item whole, then the rest in order.
     */
    @Test
    void aReaderKilledInTheMiddleOfTakingAnItemLosesNothing() {
        try (Queue<String> q = new Queue<>(); Queue<String> progress = new Queue<>()) {
            q.put("first");
            q.put("second");
            try (ChildJvm reader = ChildJvm.run(() -> {
                q.ring.readLock().acquire();          // as a reader does before it copies the head item out
                progress.put("taking");
                new CountDownLatch(1).await();        // dies here, holding the read lock
            })) {
                assertEquals("taking", progress.get());
                reader.kill();
            }
            assertEquals("first", q.get());
            assertEquals("second", q.get());
            assertTrue(q.empty());
        }
    }

    /**
     * Someone else deletes a queue's file from /dev/shm while a child uses it: the processes
     * attached before keep using the queue (their mappings hold it) and lose nothing; handing the
     * queue to a new process fails at once in the sender, naming the file; a process attaching by
     * name fails naming it too.
     */
    @Test
    void aRingDeletedFromDevShmKeepsWorkingWhereMappedAndRefusesNewProcesses() throws Exception {
        try (Queue<Integer> in = new Queue<>(); Queue<Integer> out = new Queue<>();
                ChildJvm echo = ChildJvm.run(() -> {
                    for (Integer v = in.get(); v >= 0; v = in.get()) {
                        out.put(v);
                    }
                })) {
            in.put(0);
            assertEquals(0, out.get());                 // the child is attached to both
            Path inFile = ShmRegistry.DIR.resolve(ShmRegistry.SEGMENT_PREFIX + in.ring.name());
            Path outFile = ShmRegistry.DIR.resolve(ShmRegistry.SEGMENT_PREFIX + out.ring.name());
            assertTrue(Files.exists(inFile) && Files.exists(outFile));
            Files.delete(inFile);                      // as `rm /dev/shm/pyconc.q...` would
            Files.delete(outFile);
            for (int i = 1; i <= 1000; i++) {
                in.put(i);
            }
            for (int i = 1; i <= 1000; i++) {
                assertEquals(i, out.get());
            }
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ChildJvm.run(() -> in.put(-2)));
            assertTrue(refused.getMessage().contains(inFile.toString()), refused.getMessage());
            String name = in.ring.name();
            try (ChildJvm attacher = ChildJvm.run(() -> Ring.open(name))) {
                assertNotEquals(0, attacher.waitFor(CHILD));
                assertTrue(attacher.output().contains(inFile + " of this queue or pipe is gone"), attacher::output);
            }
            in.put(-1);
            assertExitsZero(echo);
            assertTrue(in.empty() && out.empty());
        }
    }
}
