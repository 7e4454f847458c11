package io.github.pyconcurrent.gevent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.greenlet.Greenlet;
import io.github.pyconcurrent.greenlet.GreenletError;
import io.github.pyconcurrent.greenlet.LeakCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** gevent's model on one thread: spawn, join, sleep, kill, Timeout, cooperative sockets. */
@org.junit.jupiter.api.Timeout(value = 30, unit = TimeUnit.SECONDS)
class GeventTest {

    @AfterEach
    void destroyHub() {
        Hub.get().destroy();
        LeakCheck.assertNoGreenletThreads();
    }

    /** spawn runs the callables; get returns each value; joinall waits for all. */
    @Test
    void spawnAndJoinall() {
        List<GreenletTask<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            tasks.add(Gevent.spawn(() -> n * n));
        }
        assertFalse(tasks.get(0).ready(), "a spawned task starts only when the spawner waits");
        Gevent.joinall(tasks);
        for (int i = 0; i < 5; i++) {
            assertTrue(tasks.get(i).ready());
            assertTrue(tasks.get(i).successful());
            assertEquals(i * i, tasks.get(i).get());
        }
    }

    /** get rethrows an unchecked exception as it is and wraps a checked one. */
    @Test
    void getRethrowsTheTasksException() {
        IllegalStateException boom = new IllegalStateException("boom");
        GreenletTask<Object> unchecked = Gevent.spawn(() -> {
            throw boom;
        });
        GreenletTask<Object> checked = Gevent.spawn(() -> {
            throw new IOException("io");
        });
        Gevent.joinall(List.of(unchecked, checked));
        assertFalse(unchecked.successful());
        assertSame(boom, unchecked.exception());
        assertSame(boom, assertThrows(IllegalStateException.class, unchecked::get));
        CompletionException wrapped = assertThrows(CompletionException.class, checked::get);
        assertInstanceOf(IOException.class, wrapped.getCause());
    }

    /** sleep(0) yields: two greenlets that sleep(0) between steps interleave step by step. */
    @Test
    void sleepZeroYields() {
        List<String> log = new ArrayList<>();
        GreenletTask<?> a = Gevent.spawn(() -> {
            for (int i = 0; i < 3; i++) {
                log.add("a" + i);
                Gevent.sleep(Duration.ZERO);
            }
        });
        GreenletTask<?> b = Gevent.spawn(() -> {
            for (int i = 0; i < 3; i++) {
                log.add("b" + i);
                Gevent.sleep();
            }
        });
        Gevent.joinall(List.of(a, b));
        assertEquals(List.of("a0", "b0", "a1", "b1", "a2", "b2"), log);
    }

    /** Timers fire in deadline order, whatever the spawn order. */
    @Test
    void sleepersWakeInDeadlineOrder() {
        List<Integer> woke = new ArrayList<>();
        List<GreenletTask<Void>> tasks = new ArrayList<>();
        for (int ms : new int[] {300, 100, 200}) {
            tasks.add(Gevent.spawn(() -> {
                Gevent.sleep(Duration.ofMillis(ms));
                woke.add(ms);
            }));
        }
        Gevent.joinall(tasks);
        assertEquals(List.of(100, 200, 300), woke);
    }

    /** The greenlets of one hub never run in parallel, even when they all want to. */
    @Test
    void greenletsOfOneHubNeverRunInParallel() {
        int[] inside = new int[1];
        int[] maxInside = new int[1];
        List<GreenletTask<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            tasks.add(Gevent.spawn(() -> {
                for (int round = 0; round < 20; round++) {
                    inside[0]++;
                    maxInside[0] = Math.max(maxInside[0], inside[0]);
                    Thread.onSpinWait();   // a moment "inside", where another greenlet could overlap
                    inside[0]--;
                    Gevent.sleep();
                }
            }));
        }
        Gevent.joinall(tasks);
        assertEquals(1, maxInside[0]);
        assertEquals(0, inside[0]);
        for (GreenletTask<Void> t : tasks) {
            assertTrue(t.successful());
        }
    }

    /** joinall with a timeout returns false while a task still sleeps; kill then ends it, running its finally. */
    @Test
    void joinallTimeoutAndKill() {
        List<String> log = new ArrayList<>();
        GreenletTask<String> sleeper = Gevent.spawn(() -> {
            try {
                Gevent.sleep(Duration.ofSeconds(60));
                return "woke";
            } finally {
                log.add("finally");
            }
        });
        GreenletTask<String> quick = Gevent.spawn(() -> "quick");
        assertFalse(Gevent.joinall(List.of(quick, sleeper), Duration.ofMillis(50)));
        assertTrue(quick.ready());
        assertFalse(sleeper.ready());
        assertFalse(sleeper.join(Duration.ofMillis(10)));
        assertThrows(Timeout.class, () -> sleeper.get(Duration.ofMillis(10)));
        assertEquals("quick", quick.get(Duration.ofMillis(10)));
        sleeper.kill();
        assertTrue(sleeper.ready());
        assertTrue(sleeper.successful(), "a killed greenlet counts as successful, as in gevent");
        assertNull(sleeper.get());
        assertEquals(List.of("finally"), log);
        assertTrue(Gevent.joinall(List.of(quick, sleeper), Duration.ofMillis(50)));
    }

    /** A task killed before it started never runs. */
    @Test
    void killBeforeStartNeverRuns() {
        boolean[] ran = new boolean[1];
        GreenletTask<Void> t = Gevent.spawn(() -> {
            ran[0] = true;
        });
        t.kill();
        Gevent.sleep();
        assertTrue(t.ready());
        assertFalse(ran[0]);
    }

    /** A Timeout is thrown into its greenlet at its waiting point; a cancelled one never fires. */
    @Test
    void timeoutInterruptsAWait() {
        AtomicReference<Timeout> armed = new AtomicReference<>();
        GreenletTask<String> t = Gevent.spawn(() -> {
            try (Timeout timeout = Timeout.startNew(Duration.ofMillis(50))) {
                armed.set(timeout);
                Gevent.sleep(Duration.ofSeconds(60));
                return "slept";
            } catch (Timeout expired) {
                return expired == armed.get() ? "timed out" : "other timeout";
            }
        });
        assertEquals("timed out", t.get());
        GreenletTask<String> cancelled = Gevent.spawn(() -> {
            try (Timeout timeout = Timeout.startNew(Duration.ofMillis(20))) {
                Gevent.sleep();
            }
            Gevent.sleep(Duration.ofMillis(60));  // past the cancelled deadline
            return "not interrupted";
        });
        assertEquals("not interrupted", cancelled.get());
        assertThrows(Timeout.class, () -> Gevent.withTimeout(Duration.ofMillis(20), () -> {
            Gevent.sleep(Duration.ofSeconds(60));
            return null;
        }));
    }

    /** Waiting for what can never happen raises LoopExit instead of hanging. */
    @Test
    void deadlockRaisesLoopExit() {
        List<GreenletTask<Void>> pair = new ArrayList<>();
        pair.add(Gevent.spawn(() -> pair.get(1).join()));
        pair.add(Gevent.spawn(() -> pair.get(0).join()));
        assertThrows(LoopExit.class, () -> Gevent.joinall(pair));
        // destroy (in @AfterEach) kills both
    }

    /** A task cannot be joined from another thread, and the other thread gets its own hub. */
    @Test
    void otherThreadsUseTheirOwnHub() throws Exception {
        GreenletTask<String> mine = Gevent.spawn(() -> "mine");
        AtomicReference<Throwable> joinFromOther = new AtomicReference<>();
        AtomicReference<Object> otherResult = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                mine.join();
            } catch (Throwable e) {
                joinFromOther.set(e);
            }
            Hub otherHub = Hub.get();
            try {
                otherResult.set(Gevent.spawn(() -> "theirs").get());
                otherResult.set(List.of(otherResult.get(), otherHub != mine.hub));
            } finally {
                otherHub.destroy();
            }
        });
        other.start();
        other.join(20_000);
        assertFalse(other.isAlive());
        assertInstanceOf(GreenletError.class, joinFromOther.get());
        assertEquals(List.of("theirs", true), otherResult.get());
        assertEquals("mine", mine.get());
    }

    /** Cooperative sockets: an echo server and clients in greenlets of one thread. */
    @Test
    void cooperativeEcho() {
        CooperativeSocket listener = loopbackListener(8);
        InetSocketAddress address = (InetSocketAddress) listener.getsockname();
        int clients = 3;
        GreenletTask<Void> server = Gevent.spawn(() -> {
            List<GreenletTask<Void>> handlers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                CooperativeSocket conn = listener.accept();
                handlers.add(Gevent.spawn(() -> {
                    try (conn) {
                        byte[] data;
                        while ((data = conn.recv(1024)).length > 0) {
                            conn.sendall(data);
                        }
                    }
                }));
            }
            Gevent.joinall(handlers);
        });
        List<GreenletTask<String>> replies = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String msg = "hello " + i + " " + "x".repeat(100_000);
            replies.add(Gevent.spawn(() -> {
                try (CooperativeSocket s = Gevent.socket()) {
                    s.connect(address);
                    GreenletTask<Void> writer = Gevent.spawn(() -> {
                        s.sendall(msg.getBytes(StandardCharsets.UTF_8));
                        s.shutdownOutput();
                    });
                    String reply = new String(s.recvAll(), StandardCharsets.UTF_8);
                    writer.get();
                    return reply;
                }
            }));
        }
        try {
            assertTrue(Gevent.joinall(replies, Duration.ofSeconds(20)));
            for (int i = 0; i < clients; i++) {
                assertEquals("hello " + i + " " + "x".repeat(100_000), replies.get(i).get());
            }
            assertTrue(server.join(Duration.ofSeconds(20)));
            assertTrue(server.successful(), String.valueOf(server.exception()));
        } finally {
            listener.close();
        }
    }

    /** wrap adopts JDK channels made elsewhere; detach gives the listening channel back, open and usable. */
    @Test
    void wrapAndDetach() throws IOException {
        try (java.nio.channels.ServerSocketChannel jdk = java.nio.channels.ServerSocketChannel.open()) {
            jdk.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CooperativeSocket listener = CooperativeSocket.wrap(jdk);
            GreenletTask<String> server = Gevent.spawn(() -> {
                try (CooperativeSocket conn = listener.accept()) {
                    conn.setsockopt(java.net.StandardSocketOptions.TCP_NODELAY, true);
                    return new String(conn.recvAll(), StandardCharsets.UTF_8);
                }
            });
            try (java.nio.channels.SocketChannel raw = java.nio.channels.SocketChannel.open(jdk.getLocalAddress())) {
                CooperativeSocket client = CooperativeSocket.wrap(raw);
                client.sendall("hi".getBytes(StandardCharsets.UTF_8));
                client.shutdownOutput();
                assertEquals("hi", server.get());
            }
            assertSame(jdk, listener.detach());
            Gevent.sleep(); // a hub round: its selector lets go of the channel
            assertTrue(jdk.isOpen());
            listener.close(); // detached: closes nothing
            assertTrue(jdk.isOpen());
            jdk.configureBlocking(true); // no selector holds it any more
        }
    }

    /** settimeout makes a recv that gets nothing fail with a socket timeout. */
    @Test
    void socketTimeout() {
        CooperativeSocket listener = loopbackListener(1);
        try (listener; CooperativeSocket client = Gevent.socket()) {
            client.connect(listener.getsockname());
            try (CooperativeSocket accepted = listener.accept()) {
                client.settimeout(Duration.ofMillis(50));
                UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> client.recv(10));
                assertInstanceOf(SocketTimeoutException.class, e.getCause());
                accepted.sendall(new byte[] {7});
                assertEquals(7, client.recv(10)[0]);
            }
        }
    }

    /**
     * Bytes that come while the reader waits for something else (a timer) are read by its next
     * recv: the hub keeps a reader's interest after its wait and drops it when the socket is
     * ready with nobody waiting, and the next wait asks again.
     */
    @Test
    void bytesThatComeWhileTheReaderWaitsForSomethingElseAreReadNext() {
        CooperativeSocket listener = loopbackListener(1);
        try (listener; CooperativeSocket client = Gevent.socket()) {
            client.connect(listener.getsockname());
            try (CooperativeSocket accepted = listener.accept()) {
                List<String> got = new ArrayList<>();
                GreenletTask<Void> reader = Gevent.spawn(() -> {
                    for (int i = 0; i < 3; i++) {
                        got.add(new String(accepted.recv(100), StandardCharsets.US_ASCII));
                        Gevent.sleep(Duration.ofMillis(30));   // the next bytes come meanwhile
                    }
                });
                List<String> sent = List.of("one", "two", "three");
                for (int i = 0; i < sent.size(); i++) {
                    client.sendall(sent.get(i).getBytes(StandardCharsets.US_ASCII));
                    while (got.size() <= i && !reader.ready()) {
                        Gevent.sleep(Duration.ofMillis(1));   // until the reader took it (and sleeps)
                    }
                }
                assertTrue(reader.join(Duration.ofSeconds(10)));
                assertTrue(reader.successful(), String.valueOf(reader.exception()));
                assertEquals(sent, got);
            }
        }
    }

    /** Closing a socket that another greenlet waits on wakes that greenlet with an I/O error. */
    @Test
    void closeWakesAWaitingReader() {
        CooperativeSocket listener = loopbackListener(1);
        try (listener; CooperativeSocket client = Gevent.socket()) {
            client.connect(listener.getsockname());
            try (CooperativeSocket accepted = listener.accept()) {
                GreenletTask<byte[]> reader = Gevent.spawn(() -> client.recv(10));
                Gevent.sleep();  // the reader now waits in recv
                assertFalse(reader.ready());
                client.close();
                assertTrue(reader.join(Duration.ofSeconds(10)));
                assertInstanceOf(UncheckedIOException.class, reader.exception());
            }
        }
    }

    /** Another thread reaches the hub's greenlets through runCallbackThreadsafe: here it kills a blocked accept. */
    @Test
    void runCallbackThreadsafeFromAnotherThread() throws Exception {
        CooperativeSocket listener = loopbackListener(1);
        try (listener) {
            GreenletTask<Object> acceptor = Gevent.spawn(() -> listener.accept());
            Gevent.sleep();  // the acceptor now waits in accept; the hub would select forever
            assertFalse(acceptor.ready());
            Hub hub = Hub.get();
            Thread other = new Thread(() -> hub.runCallbackThreadsafe(acceptor::kill));
            other.start();
            assertTrue(acceptor.join(Duration.ofSeconds(20)), "the other thread's callback killed it");
            assertTrue(acceptor.successful());
            assertNull(acceptor.get());
            other.join(10_000);
        }
    }

    /** A Timeout that its greenlet outlived without cancelling fires into nothing. */
    @Test
    void uncancelledTimeoutOfAFinishedGreenletIsHarmless() {
        GreenletTask<String> t = Gevent.spawn(() -> {
            Timeout.startNew(Duration.ofMillis(10));
            return "done before the deadline";
        });
        assertEquals("done before the deadline", t.get());
        Gevent.sleep(Duration.ofMillis(50));  // the timeout fires while we sleep
        assertTrue(t.successful());
    }

    /** A task's greenlet is a child of the hub; the hub is a child of the thread's main greenlet. */
    @Test
    void hubIsParentOfTasks() {
        Greenlet main = Greenlet.getcurrent();
        GreenletTask<Greenlet> t = Gevent.spawn(() -> Greenlet.getcurrent());
        assertSame(t, t.get());
        assertSame(Hub.get(), t.parent());
        assertSame(main, Hub.get().parent());
    }

    /** A cooperative socket listening on a free loopback port with {@code backlog}. */
    private static CooperativeSocket loopbackListener(int backlog) {
        CooperativeSocket listener = Gevent.socket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        listener.listen(backlog);
        return listener;
    }
}
