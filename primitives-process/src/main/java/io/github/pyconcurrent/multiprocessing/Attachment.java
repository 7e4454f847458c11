package io.github.pyconcurrent.multiprocessing;

import java.lang.ref.Cleaner;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one handle of this JVM holds: references to its rings and its slots in their holder
 * tables. Released exactly once: by the handle's {@code close()}, by the {@link Cleaner} when the
 * handle became garbage without a close (as CPython closes a connection that is collected), or at
 * JVM exit. Releasing unregisters the slots and wakes the other side, so a pipe's reader sees end
 * of stream at once when the last writer closes or its JVM exits normally (a killed JVM is noticed
 * by liveness instead, see {@link Ring}).
 *
 * <p>At exit the hook first lets every {@link Queue} flush what its feeder still buffers (as
 * CPython's queue joins its feeder thread), then releases everything.
 */
final class Attachment implements Runnable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final Set<Attachment> LIVE = ConcurrentHashMap.newKeySet();
    private static final Set<Runnable> FLUSH_AT_EXIT = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Attachment::atExit, "pyconcurrent-queue-exit"));
    }

    private final Ring[] rings;
    private final int[] tables;
    private final int[] slots;
    private final AtomicBoolean released = new AtomicBoolean();
    private final Cleaner.Cleanable cleanable;

    /**
     * Registers this JVM in table {@code tables[i]} of {@code rings[i]} for each i (the rings'
     * references pass to the attachment), to be released when {@code handle} is garbage at the latest.
     */
    Attachment(Object handle, Ring[] rings, int[] tables) {
        this.rings = rings;
        this.tables = tables;
        this.slots = new int[rings.length];
        for (int i = 0; i < rings.length; i++) {
            slots[i] = rings[i].register(tables[i]);
        }
        LIVE.add(this);
        this.cleanable = CLEANER.register(handle, this);
    }

    /** Releases now (idempotent). */
    void release() {
        cleanable.clean();
    }

    boolean released() {
        return released.get();
    }

    /** The cleaning action: never call directly, use {@link #release()}. */
    @Override
    public void run() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        LIVE.remove(this);
        for (int i = 0; i < rings.length; i++) {
            Ring ring = rings[i];
            ring.unregister(tables[i], slots[i]);
            // Wake the other side so it looks for end of stream (or a broken pipe) now.
            if (tables[i] == Ring.WRITERS) {
                ring.signal(RingLayout.DATA_SEQ, RingLayout.DATA_WAITERS);
            } else {
                ring.signal(RingLayout.SPACE_SEQ, RingLayout.SPACE_WAITERS);
            }
            ring.release();
        }
    }

    static void flushAtExit(Runnable flush, boolean add) {
        if (add) {
            FLUSH_AT_EXIT.add(flush);
        } else {
            FLUSH_AT_EXIT.remove(flush);
        }
    }

    private static void atExit() {
        for (Runnable flush : List.copyOf(FLUSH_AT_EXIT)) {
            try {
                flush.run();
            } catch (RuntimeException e) {
                // at exit nothing more can be done
            }
        }
        for (Attachment a : List.copyOf(LIVE)) {
            try {
                a.release();
            } catch (RuntimeException e) {
                // the segment may be gone already
            }
        }
    }
}
