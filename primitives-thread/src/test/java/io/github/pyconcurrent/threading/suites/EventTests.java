package io.github.pyconcurrent.threading.suites;

import static io.github.pyconcurrent.threading.suites.Blocking.async;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.threading.EventLike;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CPython lock_tests' {@code EventTests}. Concrete subclasses supply {@link #newEvent()}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class EventTests {

    /** A new event, not set. */
    protected abstract EventLike newEvent();

    @Test
    @DisplayName("a new event is not set; set() sets it, clear() clears it, both idempotent")
    void isSetFollowsSetAndClear() {
        EventLike ev = newEvent();
        assertFalse(ev.isSet());
        ev.set();
        assertTrue(ev.isSet());
        ev.set();
        assertTrue(ev.isSet());
        ev.clear();
        assertFalse(ev.isSet());
        ev.clear();
        assertFalse(ev.isSet());
    }

    @Test
    @DisplayName("waitFor(timeout) returns false when the event stays unset, true when it is set")
    void waitTimeout() {
        EventLike ev = newEvent();
        assertFalse(ev.waitFor(Duration.ofMillis(30)));
        assertFalse(ev.waitFor(Duration.ZERO));
        assertFalse(ev.waitFor(Duration.ofMillis(-1)));
        ev.set();
        assertTrue(ev.waitFor(Duration.ofMillis(30)));
        assertTrue(ev.waitFor(Duration.ZERO));
        assertTrue(ev.waitFor());
    }

    @Test
    @DisplayName("set() wakes every waiter, timed and untimed")
    void setWakesAll() {
        EventLike ev = newEvent();
        ConcurrentLinkedQueue<Boolean> results = new ConcurrentLinkedQueue<>();
        try (Bunch bunch = Bunch.start(6, i -> results.add(i % 2 == 0 ? ev.waitFor() : ev.waitFor(Blocking.TIMEOUT)))) {
            bunch.awaitStarted();
            bunch.awaitParked();
            assertEquals(0, bunch.finishedCount());
            ev.set();
            bunch.awaitFinished();
        }
        assertEquals(6, results.size());
        assertFalse(results.contains(false));
    }

    @Test
    @DisplayName("a waiter blocked when set() runs returns true even if clear() follows before it wakes")
    void setAndClear() {
        EventLike ev = newEvent();
        int n = 5;
        ConcurrentLinkedQueue<Boolean> results = new ConcurrentLinkedQueue<>();
        try (Bunch bunch = Bunch.start(n, i -> results.add(ev.waitFor(Blocking.TIMEOUT)))) {
            bunch.awaitStarted();
            bunch.awaitParked();
            ev.set();
            ev.clear();
            bunch.awaitFinished();
        }
        assertEquals(n, results.size());
        assertFalse(results.contains(false), results.toString());
    }

    @Test
    @DisplayName("after set() and clear(), a new waiter blocks again")
    void clearedBlocksAgain() {
        EventLike ev = newEvent();
        ev.set();
        ev.clear();
        var waiter = async(() -> ev.waitFor()).assertBlocked();
        ev.set();
        assertTrue(waiter.get());
    }

    @Test
    @DisplayName("an interrupt while blocked in waitFor throws UncheckedInterruptedException and restores the flag")
    void interrupt() {
        EventLike ev = newEvent();
        var waiter = async(() -> {
            try {
                return "returned " + ev.waitFor();
            } catch (UncheckedInterruptedException e) {
                return "interrupted, flag=" + java.lang.Thread.currentThread().isInterrupted();
            }
        }).assertBlocked();
        waiter.thread().interrupt();
        assertEquals("interrupted, flag=true", waiter.get());
    }

    @Test
    @DisplayName("ping-pong between two threads through two events completes every round")
    void pingPong() {
        EventLike ping = newEvent();
        EventLike pong = newEvent();
        int rounds = 500;
        var partner = async(() -> {
            for (int i = 0; i < rounds; i++) {
                assertTrue(ping.waitFor(Blocking.TIMEOUT));
                ping.clear();
                pong.set();
            }
            return rounds;
        });
        for (int i = 0; i < rounds; i++) {
            ping.set();
            assertTrue(pong.waitFor(Blocking.TIMEOUT));
            pong.clear();
        }
        assertEquals(rounds, partner.get());
    }
}
