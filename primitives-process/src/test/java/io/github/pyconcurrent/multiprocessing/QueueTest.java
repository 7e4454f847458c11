package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Queue, SimpleQueue and JoinableQueue within one JVM: Python's semantics and the ring's edges. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QueueTest {
    private static final Duration SHORT = Duration.ofMillis(50);

    @AfterAll
    static void nothingLeftBehind() {
        Leaks.assertNothingLeft();
    }

    /** Items come out in the order they went in. */
    @Test
    void fifo() {
        try (Queue<Integer> q = new Queue<>()) {
            for (int i = 0; i < 1000; i++) {
                q.put(i);
            }
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, q.get());
            }
            assertTrue(q.empty());
        }
    }

    /** qsize and empty follow puts and gets. */
    @Test
    void qsizeAndEmpty() {
        try (Queue<String> q = new Queue<>()) {
            assertTrue(q.empty());
            assertEquals(0, q.qsize());
            q.put("a");
            q.put("b");
            assertFalse(q.empty());
            assertEquals(2, q.qsize());
            q.get();
            assertEquals(1, q.qsize());
            q.get();
            assertTrue(q.empty());
        }
    }

    /** getNowait and a timed get on an empty queue throw Empty. */
    @Test
    void emptyOnNowaitAndTimeout() {
        try (Queue<String> q = new Queue<>()) {
            assertThrows(Queue.Empty.class, q::getNowait);
            assertThrows(Queue.Empty.class, () -> q.get(SHORT));
            assertThrows(Queue.Empty.class, () -> q.get(Duration.ofMillis(-1)));
            q.putNowait("x");
            assertEquals("x", q.getNowait());
        }
    }

    /** A bounded queue: putNowait and a timed put beyond maxsize throw Full; a blocked put proceeds after a get. */
    @Test
    void maxsizeBlocksAndFull() throws Exception {
        try (Queue<Integer> q = new Queue<>(2)) {
            assertEquals(2, q.maxsize());
            q.put(1);
            q.putNowait(2);
            assertThrows(Queue.Full.class, () -> q.putNowait(3));
            assertThrows(Queue.Full.class, () -> q.put(3, SHORT));
            assertEquals(2, q.qsize());
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread putter = Thread.ofPlatform().start(() -> {
                started.countDown();
                try {
                    q.put(3);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            started.await();
            assertEquals(1, q.get());   // makes room for the blocked put
            putter.join();
            assertEquals(null, failure.get());
            assertEquals(2, q.get());
            assertEquals(3, q.get());
        }
    }

    /** maxsize <= 0 is unbounded, as in Python; an unbounded put never blocks, even past the ring's capacity. */
    @Test
    void unboundedPutNeverBlocksBeyondTheRing() {
        try (Queue<byte[]> q = new Queue<>(-5, 4096)) {
            assertEquals(0, q.maxsize());
            for (int i = 0; i < 100; i++) {
                q.put(filled(i, 1000));          // 100 KB into a 4 KiB ring: the feeder buffers
            }
            assertEquals(100, q.qsize());
            for (int i = 0; i < 100; i++) {
                assertArrayEquals(filled(i, 1000), q.get());
            }
        }
    }

    /** Items of many sizes, several wrapping around the end of a small ring, come out whole and in order. */
    @Test
    void variedSizesAcrossWraps() {
        try (Queue<byte[]> q = new Queue<>(0, 8192)) {
            List<byte[]> got = new ArrayList<>();
            Thread consumer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2000; i++) {
                    got.add(q.get());
                }
            });
            for (int i = 0; i < 2000; i++) {
                q.put(filled(i, size(i)));
            }
            join(consumer);
            for (int i = 0; i < 2000; i++) {
                assertArrayEquals(filled(i, size(i)), got.get(i));
            }
        }
    }

    /**
     * Items larger than the ring travel in pieces (Python's queues have no size limit): through an
     * unbounded queue (its feeder streams them), a bounded one and a SimpleQueue, while another
     * thread reads; small items before and after keep their order.
     */
    @Test
    void itemsLargerThanTheRingTravelInPieces() throws Exception {
        try (Queue<Object> q = new Queue<>(0, 4096); Queue<Object> bounded = new Queue<>(2, 4096);
                SimpleQueue<byte[]> s = new SimpleQueue<>()) {
            byte[] big = filled(7, 100_000);
            q.put("before");
            q.put(big);
            q.put("after");
            assertEquals("before", q.get());
            assertArrayEquals(big, (byte[]) q.get());
            assertEquals("after", q.get());

            Thread writer = Thread.ofPlatform().start(() -> {
                bounded.put(big);
                bounded.put("after");
            });
            assertArrayEquals(big, (byte[]) bounded.get());
            assertEquals("after", bounded.get());
            writer.join();

            byte[] huge = filled(3, QueueTuning.QUEUE_RING_BYTES * 2 + 5);
            Thread simpleWriter = Thread.ofPlatform().start(() -> s.put(huge));
            assertArrayEquals(huge, s.get());
            simpleWriter.join();
        }
    }

    /** After close, put and get throw IllegalStateException (Python's ValueError); close is idempotent. */
    @Test
    void closedQueue() {
        Queue<String> q = new Queue<>();
        q.put("left");
        q.close();
        q.close();
        assertTrue(q.closed());
        assertThrows(IllegalStateException.class, () -> q.put("x"));
        assertThrows(IllegalStateException.class, q::get);
    }

    /** A handle read back in its own JVM is the same queue object. */
    @Test
    void handleInTheSameJvmIsTheSameObject() {
        try (Queue<String> q = new Queue<>(); JoinableQueue<String> j = new JoinableQueue<>()) {
            assertSame(q, Serial.read(Serial.toBytes(q)));
            assertSame(j, Serial.read(Serial.toBytes(j)));
        }
    }

    /** A get blocked on an empty queue ends with UncheckedInterruptedException and the flag set. */
    @Test
    void interruptedGet() throws Exception {
        try (Queue<String> q = new Queue<>()) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> flag = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    q.get();
                } catch (Throwable e) {
                    thrown.set(e);
                    flag.set(Thread.currentThread().isInterrupted());
                }
            });
            t.interrupt();
            t.join();
            assertTrue(thrown.get() instanceof UncheckedInterruptedException, String.valueOf(thrown.get()));
            assertTrue(flag.get());
        }
    }

    /** taskDone once per item lets join return; one taskDone too many throws IllegalArgumentException. */
    @Test
    void joinableQueueTaskDone() {
        try (JoinableQueue<Integer> q = new JoinableQueue<>()) {
            q.join();                                  // nothing put: returns at once
            q.put(1);
            q.put(2);
            Thread worker = Thread.ofPlatform().start(() -> {
                q.get();
                q.taskDone();
                q.get();
                q.taskDone();
            });
            q.join();
            join(worker);
            assertThrows(IllegalArgumentException.class, q::taskDone);
        }
    }

    /** SimpleQueue: put, get, empty, close. */
    @Test
    void simpleQueue() {
        SimpleQueue<List<Integer>> q = new SimpleQueue<>();
        assertTrue(q.empty());
        q.put(List.of(1, 2));
        q.put(new ArrayList<>(List.of(3)));
        assertFalse(q.empty());
        assertEquals(List.of(1, 2), q.get());
        assertEquals(List.of(3), q.get());
        q.close();
        assertThrows(IllegalStateException.class, () -> q.put(List.of()));
    }

    static int size(int i) {
        return (i * 7919) % 3000 + (i % 10 == 0 ? 4000 : 0);
    }

    /** {@code length} bytes (at least 4) starting with {@code seq}, then a pattern of it. */
    static byte[] filled(int seq, int length) {
        byte[] b = new byte[Math.max(4, length)];
        b[0] = (byte) (seq >>> 24);
        b[1] = (byte) (seq >>> 16);
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        for (int j = 4; j < b.length; j++) {
            b[j] = (byte) (seq * 31 + j);
        }
        return b;
    }

    static int seqOf(byte[] b) {
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
