package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.shared.ChildJvm;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Items of any size between real JVMs (a 100 MB Queue item, Pipe message, Pool argument and
 * result), and the faults around them with real SIGKILLs: a reader or a writer killed in the middle
 * of a large item loses that item only, and the ring goes on; a send to a pipe end whose reader was
 * killed is a {@link BrokenPipeError}.
 */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LargeItemsTest {
    private static final Duration CHILD = Duration.ofSeconds(120);
    private static final int HUNDRED_MB = 100_000_000;

    @AfterAll
    static void nothingLeftBehind() {
        Leaks.assertNothingLeft();
    }

    /** Waits (yielding, never sleeping) until {@code condition} holds; the class's timeout bounds it. */
    private static void await(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            Thread.yield();
        }
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >>> 16));
        }
        return b;
    }

    @Test
    void aHundredMegabyteItemTravelsThroughAQueueAndAPipeBothWays() {
        try (Queue<byte[]> in = new Queue<>(); Queue<byte[]> out = new Queue<>(); Pipe pipe = Pipe.open()) {
            Connection childEnd = pipe.right();
            try (ChildJvm child = ChildJvm.run(() -> {
                byte[] item = in.get();
                childEnd.sendBytes(item);
                out.put(item);
            })) {
                byte[] big = pattern(HUNDRED_MB);
                in.put(big);
                assertArrayEquals(big, pipe.left().recvBytes());
                assertArrayEquals(big, out.get());
                assertEquals(0, child.waitFor(CHILD), child::output);
            }
        }
    }

    @Test
    void aHundredMegabytePoolArgumentAndResultTravel() {
        byte[] big = pattern(HUNDRED_MB);
        try (Pool pool = new Pool(1)) {
            assertEquals(HUNDRED_MB, pool.apply(() -> big.length));
            byte[] back = pool.apply(() -> pattern(HUNDRED_MB));
            assertArrayEquals(big, back);
        }
    }

    /**
     * The reader of a large item is SIGKILLed after taking its first piece (holding the read lock):
     * the next reader takes the lock over, drops the pieces the dead one left as the writer
     * finishes them, and gets the item after it.
     */
    @Test
    void aReaderKilledInTheMiddleOfAnItemLosesOnlyThatItem() throws Exception {
        try (Queue<Object> q = new Queue<>(0, 65536)) {
            Ring ring = q.ring;
            AtomicReference<Object> got = new AtomicReference<>();
            Thread nextReader;
            byte[] item = Serial.toBytes(pattern(200_000));
            int piece = ring.maxPieceBytes() - Ring.FIRST_PREFIX;
            ring.writeLock().acquire();
            try {
                assertTrue(ring.writeLocked(item, 0, piece, Ring.FIRST, 0));
                try (ChildJvm reader = ChildJvm.run(() -> q.get())) {
                    await(ring::isEmpty);       // the reader took the first piece and waits for more
                    reader.kill();
                }
                nextReader = Thread.ofPlatform().start(() -> got.set(q.get()));
                for (int from = piece; from < item.length; from += piece) {
                    int len = Math.min(piece, item.length - from);
                    int kind = from + len == item.length ? Ring.LAST : Ring.MORE;
                    while (!ring.writeLocked(item, from, len, kind, 0)) {
                        Thread.yield();
                    }
                }
            } finally {
                ring.writeLock().release();
            }
            q.put("after");
            nextReader.join();
            assertEquals("after", got.get());
            assertEquals(0, q.qsize());
        }
    }

    /**
     * The writer of a large item is SIGKILLed after its first piece, holding the write lock: the
     * reader gathering it drops the part, the next writer takes the lock over, and the reader gets
     * that writer's item.
     */
    @Test
    void aWriterKilledInTheMiddleOfAnItemLosesOnlyThatItem() throws Exception {
        try (Queue<Object> q = new Queue<>(0, 65536); Queue<String> progress = new Queue<>()) {
            Ring ring = q.ring;
            AtomicReference<Object> got = new AtomicReference<>();
            Thread reader = Thread.ofPlatform().start(() -> got.set(q.get()));
            try (ChildJvm writer = ChildJvm.run(() -> {
                byte[] item = Serial.toBytes(pattern(200_000));
                q.ring.writeLock().acquire();
                q.ring.writeLocked(item, 0, q.ring.maxPieceBytes() - Ring.FIRST_PREFIX, Ring.FIRST, 0);
                progress.put("first piece written");
                new CountDownLatch(1).await();   // dies here, holding the write lock
            })) {
                assertEquals("first piece written", progress.get());
                await(ring::isEmpty);
                writer.kill();
            }
            q.put("after");
            reader.join();
            assertEquals("after", got.get());
        }
    }

    /** Python's BrokenPipeError: once the only process holding the receiving end is SIGKILLed, sends fail. */
    @Test
    void sendingToAnEndWhoseReaderWasKilledIsABrokenPipe() {
        try (Pipe pipe = Pipe.open(false)) {
            Connection reader = pipe.left();
            Connection writer = pipe.right();
            try (Queue<String> ready = new Queue<>(); ChildJvm child = ChildJvm.run(() -> {
                ready.put("attached");
                reader.recv();
            })) {
                assertEquals("attached", ready.get());
                reader.close();
                child.kill();
                int sent = 0;
                try {
                    while (true) {
                        writer.sendBytes(new byte[1024]);
                        sent++;
                    }
                } catch (BrokenPipeError e) {
                    assertTrue(e.getMessage().contains("broken pipe"), e.getMessage());
                }
                assertTrue(sent < 1024, sent + " sends succeeded after the reader died");
            }
        }
    }
}
