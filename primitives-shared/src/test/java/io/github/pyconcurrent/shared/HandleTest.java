package io.github.pyconcurrent.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.shared.internal.ProcessIdentity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every type is Serializable as a handle: the copy is another object on the same shared state. */
@Timeout(60)
class HandleTest {
    @AfterAll
    static void nothingLeftInDevShm() {
        System.gc();
        ShmLeaks.assertNoStrays();
    }

    static <T> T roundTrip(T object) {
        byte[] bytes = ChildJvm.serialize(object);
        assertTrue(bytes.length < 1024, "a handle is small: " + bytes.length + " bytes");
        return ChildJvm.deserialize(bytes);
    }

    /** Locks, semaphores and events: state changed through the copy is seen through the original. */
    @Test
    void locksAndEvents() {
        Lock lock = new Lock();
        Lock lockCopy = roundTrip(lock);
        assertNotSame(lock, lockCopy);
        lockCopy.acquire();
        assertTrue(lock.locked());
        lock.release();
        assertFalse(lockCopy.locked());

        RLock rlock = new RLock();
        RLock rcopy = roundTrip(rlock);
        rlock.acquire();
        assertTrue(rcopy.acquire(false), "same owner thread of the same process: re-entry");
        rcopy.release();
        rlock.release();
        assertFalse(rlock.locked());

        Semaphore sem = new Semaphore(2);
        Semaphore semCopy = roundTrip(sem);
        semCopy.acquire();
        assertEquals(1, sem.getValue());
        BoundedSemaphore bounded = roundTrip(new BoundedSemaphore(1));
        assertThrows(IllegalArgumentException.class, bounded::release);

        Event event = new Event();
        roundTrip(event).set();
        assertTrue(event.isSet());
    }

    /** A user's subclass of a semaphore (the one public class that allows it) travels as the semaphore it extends. */
    @Test
    void aSubclassOfASemaphoreTravelsAsTheSemaphoreItExtends() {
        class Slots extends Semaphore {
            private static final long serialVersionUID = 1L;

            Slots() {
                super(3);
            }
        }
        Semaphore copy = roundTrip(new Slots());
        assertEquals(Semaphore.class, copy.getClass());
        assertEquals(3, copy.getValue());
    }

    /** Conditions carry their lock; barriers their parties and (serializable) action. */
    @Test
    void conditionAndBarrier() {
        Condition cond = new Condition(new Lock());
        Condition condCopy = roundTrip(cond);
        try (var held = condCopy.hold()) {
            assertTrue(cond.lock().locked());
            cond.notifyOne(); // the original sees its lock held by this thread
        }
        assertThrows(IllegalArgumentException.class,
                () -> new Condition((io.github.pyconcurrent.threading.LockLike) new io.github.pyconcurrent.threading.Lock()));
        Barrier barrier = new Barrier(1, (Runnable & Serializable) () -> { }, null);
        Barrier copy = roundTrip(barrier);
        assertEquals(1, copy.parties());
        assertEquals(0, copy.waitFor());
        Barrier local = new Barrier(2, () -> { });
        assertThrows(UncheckedIOException.class, () -> roundTrip(local));
        try {
            new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(local);
        } catch (IOException e) {
            assertTrue(e instanceof NotSerializableException, e.toString());
        }
    }

    /** Array, Value and SharedMemory copies share memory. */
    @Test
    void memory() {
        Array a = Array.of('q', 1, 2, 3);
        Array copy = roundTrip(a);
        copy.setLong(2, 42);
        assertEquals(42, a.getLong(2));
        assertEquals(3, copy.length());
        try (var held = copy.getLock().hold()) {
            assertTrue(a.getLock().locked());
        }
        Value v = Value.of('d', 0.5);
        roundTrip(v).setDouble(1.25);
        assertEquals(1.25, v.getDouble());
        try (SharedMemory shm = SharedMemory.create("handle-" + ProcessIdentity.PID + "-" + System.nanoTime(), 16)) {
            roundTrip(shm).buffer().putInt(0, 7);
            assertEquals(7, shm.buffer().getInt(0));
        }
    }
}
