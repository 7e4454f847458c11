package io.github.pyconcurrent.shared;

import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.ByteBuffer;

/**
 * What the process-shared primitives that live at one place of a {@link SharedMemory} segment
 * have in common: the segment, the place ({@code base}, an offset of {@link SharedMemory#whole()})
 * and how they travel between JVMs: as a {@link Handle} naming the segment, the place and the
 * kind of primitive, which the receiving JVM reopens as the same primitive. One class, so that the
 * fields, the handle and its reading are written once for {@link Lock}, {@link RLock},
 * {@link Event}, {@link Semaphore} and {@link BoundedSemaphore}; {@link Condition} and
 * {@link Barrier} carry more (their lock, their action) and override {@link #writeReplace()}.
 */
abstract class SegmentPrimitive implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The segment the primitive's state lives in (attached in every JVM that uses it). */
    final transient SharedMemory shm;
    /** Where the primitive's state begins in {@link #buf}. */
    final transient int base;
    /** The whole segment, {@link SharedMemory#whole()}. */
    final transient ByteBuffer buf;

    SegmentPrimitive(SharedMemory shm, int base) {
        this.shm = shm;
        this.base = base;
        this.buf = shm.whole();
    }

    SharedMemory segment() {
        return shm;
    }

    /**
     * Travels as a handle to the same primitive in shared memory.
     *
     * @return the handle that is serialized in this primitive's place
     * @throws ObjectStreamException if the primitive cannot travel (an override's reason)
     */
    @Serial
    Object writeReplace() throws ObjectStreamException {
        return new Handle(shm.name(), base, Kind.of(getClass()));
    }

    /** The primitives that travel as a {@link Handle}, each with how it is reopened at its place. */
    enum Kind {
        LOCK(Lock.class, Lock::new),
        RLOCK(RLock.class, RLock::new),
        EVENT(Event.class, Event::new),
        SEMAPHORE(Semaphore.class, Semaphore::new),
        BOUNDED_SEMAPHORE(BoundedSemaphore.class, BoundedSemaphore::new);

        /** Reopens a primitive at {@code base} of an attached segment. */
        @FunctionalInterface
        interface Opener {
            SegmentPrimitive open(SharedMemory shm, int base);
        }

        private final Class<? extends SegmentPrimitive> type;
        private final Opener opener;

        Kind(Class<? extends SegmentPrimitive> type, Opener opener) {
            this.type = type;
            this.opener = opener;
        }

        /** The kind of {@code type} or of its nearest superclass that has one: a user's subclass of {@link Semaphore} travels as a Semaphore. */
        static Kind of(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Kind kind : values()) {
                    if (kind.type == c) {
                        return kind;
                    }
                }
            }
            throw new IllegalStateException(type.getName() + " travels by a handle of its own, not a SegmentPrimitive.Handle");
        }
    }

    /**
     * What is serialized in a primitive's place: reading it attaches the segment and reopens the primitive.
     *
     * @param segment the name of the shared-memory segment the primitive lives in
     * @param base the primitive's offset in that segment
     * @param kind which primitive it is (its class, or the nearest superclass that has a kind)
     */
    private record Handle(String segment, int base, Kind kind) implements Serializable {
        @Serial
        private Object readResolve() {
            return kind.opener.open(SharedMemory.open(segment), base);
        }
    }
}
