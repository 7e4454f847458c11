package io.github.pyconcurrent.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.shared.internal.ProcessIdentity;
import io.github.pyconcurrent.shared.internal.SharedMemoryLayout;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Owner-death recovery, driven deterministically by writing owner words of processes that do not
 * exist (or of this pid with another start time, i.e. a reused pid) into the shared words; the
 * real SIGKILL cases are in {@link CrossProcessTest}.
 */
@Timeout(60)
class RobustnessTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** This pid, but started at another time: what a reused pid looks like. */
    private static final long REUSED_PID = ProcessIdentity.ownerWord(ProcessIdentity.PID, ProcessIdentity.START_TICKS + 12345);
    /** A pid above pid_max on this machine: no such process. */
    private static final long NO_SUCH_PROCESS = ProcessIdentity.ownerWord(4_000_000, 1);

    @AfterAll
    static void nothingLeftInDevShm() {
        System.gc();
        ShmLeaks.assertNoStrays();
    }

    private static void forgeOwner(SharedMemory shm, int base, long ownerWord) {
        Words.LONG.setVolatile(shm.whole(), base + LockLayout.OWNER_WORD, ownerWord);
    }

    /** A Lock held by a pid that was reused (same pid, other start time) is taken over. */
    @Test
    void lockOfReusedPidIsTakenOver() {
        Lock lock = new Lock();
        forgeOwner(lock.segment(), SharedMemoryLayout.HEADER_SIZE, REUSED_PID);
        assertTrue(lock.locked());
        assertFalse(lock.acquire(false), "a non-blocking acquire never takes over");
        assertTrue(lock.acquire(WAIT));
        assertTrue(lock.ownerDied());
        lock.release();
        assertFalse(lock.locked());
    }

    /** A Lock held by a process that does not exist is taken over; a live holder's lock is not. */
    @Test
    void lockOfMissingProcessIsTakenOverButNotALiveOnes() {
        Lock lock = new Lock();
        forgeOwner(lock.segment(), SharedMemoryLayout.HEADER_SIZE, NO_SUCH_PROCESS);
        assertTrue(lock.acquire(WAIT));
        assertTrue(lock.ownerDied());
        // Now held by this (live) process: a timed acquire spanning several owner checks fails.
        assertFalse(lock.acquire(Duration.ofMillis(350)));
        lock.release();
    }

    /** An Array's RLock held by a dead process is taken over, with a fresh count. */
    @Test
    void arrayLockOfDeadProcessIsTakenOver() {
        Array a = Array.of('i', 1);
        forgeOwner(a.segment(), SharedMemoryLayout.HEADER_SIZE + ArrayLayout.LOCK, NO_SUCH_PROCESS);
        RLock lock = a.getLock();
        assertTrue(lock.locked());
        assertTrue(lock.acquire(WAIT));
        assertTrue(lock.ownerDied());
        assertEquals(1, lock.holdCount());
        lock.release();
        assertFalse(lock.locked());
    }

    /** Permits charged to a dead process are returned to a waiter, which is told. */
    @Test
    void semaphorePermitsOfDeadProcessAreReturned() {
        Semaphore sem = new Semaphore(3);
        assertTrue(sem.acquire(false)); // this process: one permit, charged to its slot
        SharedMemory shm = sem.segment();
        int base = SharedMemoryLayout.HEADER_SIZE;
        // Forge a dead process holding the other two permits.
        Words.INT.setVolatile(shm.whole(), base + SemaphoreLayout.VALUE, 0);
        int slot = base + SemaphoreLayout.HOLDERS + 5 * SemaphoreLayout.SLOT_SIZE;
        Words.LONG.setVolatile(shm.whole(), slot + SemaphoreLayout.SLOT_OWNER, NO_SUCH_PROCESS);
        Words.INT.setVolatile(shm.whole(), slot + SemaphoreLayout.SLOT_PERMITS, 2);
        assertTrue(sem.acquire(WAIT));
        assertTrue(sem.ownerDied());
        assertEquals(1, sem.getValue(), "two returned, one taken");
        assertEquals(0L, (long) Words.LONG.getVolatile(shm.whole(), slot + SemaphoreLayout.SLOT_OWNER), "slot freed");
        sem.release(2);
        assertEquals(3, sem.getValue());
    }
}
