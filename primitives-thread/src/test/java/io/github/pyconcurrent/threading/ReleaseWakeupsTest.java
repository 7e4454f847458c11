package io.github.pyconcurrent.threading;

import static io.github.pyconcurrent.threading.suites.Blocking.async;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Lock#unparkAfterRelease}: the hand-over a Condition over a Lock uses (wait morphing). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReleaseWakeupsTest {

    @Test
    @DisplayName("a thread handed over while the lock is held is unparked by the next release, from any thread")
    void unparkedByNextRelease() {
        Lock lock = new Lock();
        lock.acquire();
        var parked = async(() -> {
            LockSupport.park(lock);
            return "woken";
        }).awaitParked();
        lock.unparkAfterRelease(parked.thread());
        parked.assertBlocked();
        // A Lock has no owner: another thread's release drains the hand-overs too.
        async(lock::release).get();
        assertEquals("woken", parked.get());
    }

    @Test
    @DisplayName("a thread handed over while the lock is free is unparked at once")
    void unparkedAtOnceWhenFree() {
        Lock lock = new Lock();
        var parked = async(() -> {
            LockSupport.park(lock);
            return "woken";
        }).awaitParked();
        lock.unparkAfterRelease(parked.thread());
        assertEquals("woken", parked.get());
    }
}
