package io.github.pyconcurrent.shared;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.pyconcurrent.shared.internal.ProcessIdentity;
import io.github.pyconcurrent.shared.internal.SharedMemoryLayout;
import io.github.pyconcurrent.shared.internal.ShmRegistry;
import java.io.IOException;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A named block of memory shared between processes (JVMs): a file in {@code /dev/shm} (mode
 * 0600) mapped into every process that attaches to it. Python's
 * {@code multiprocessing.shared_memory.SharedMemory}.
 *
 * <pre>{@code
 * try (SharedMemory shm = SharedMemory.create("scores", 4096)) {   // owner: unlinked by close()
 *     shm.buffer().putInt(0, 42);
 *     // another JVM: SharedMemory.attach("scores").buffer().getInt(0) == 42
 * }
 * }</pre>
 *
 * <p>The creator owns the name: its {@link #close()} also unlinks it, and so does its JVM's exit;
 * a segment whose creator was killed is swept by the next JVM that starts the toolkit (see
 * {@link ShmRegistry}). Attached processes keep their mapping after the unlink; only new attaches
 * fail. Differences from Python: the creator's {@code close()} unlinks (Python needs an explicit
 * {@code unlink()}, and forgetting it leaks the segment); the file is {@code /dev/shm/pyconc.<name>}
 * and starts with a 64-byte header naming its creator ({@link SharedMemoryLayout}), so
 * {@link #buffer()} is 64-byte aligned and exactly {@link #size()} long; the size is at most
 * {@code Integer.MAX_VALUE - 64} bytes. {@code close()} does not unmap at once (unmapping under a
 * thread still reading would crash the JVM): the mapping goes when the object is garbage.
 *
 * <p>A {@code SharedMemory} is {@link Serializable} as its name: deserialized in another JVM it
 * is attached to the same segment.
 *
 * <p>Memory consistency: the bytes are plain memory. Order accesses between processes with the
 * process-shared locks of this package (or with {@link VarHandle} atomic access modes on the
 * buffer).
 */
public final class SharedMemory implements AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,200}");
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final Cleaner CLEANER = Cleaner.create();
    /** Segments mapped in this JVM, so a handle deserialized here reuses the mapping. */
    private static final ConcurrentHashMap<String, WeakReference<SharedMemory>> MAPPED = new ConcurrentHashMap<>();

    /** The segment's name. */
    private final String name;
    /** The segment's file, under {@code /dev/shm}. */
    private final Path path;
    /** The usable size in bytes, the header excluded. */
    private final long size;
    /** The whole file, header included; primitives address their words from here. */
    private final ByteBuffer whole;
    /** Whether this handle created the segment (its close unlinks it). */
    private final boolean creator;
    /** Whether {@link #close()} was called on this handle. */
    private volatile boolean closed;
    /** Native address of {@link #whole}, for futex calls; computed on first use. */
    private volatile long address;
    /**
     * Per-JVM companions of objects living in this segment, by offset (an RLock's owner thread
     * and count), so every copy of a handle deserialized in this JVM shares them.
     */
    private final ConcurrentHashMap<Integer, Object> companions = new ConcurrentHashMap<>();

    private SharedMemory(String name, Path path, long size, ByteBuffer whole, boolean creator) {
        this.name = name;
        this.path = path;
        this.size = size;
        this.whole = whole;
        this.creator = creator;
    }

    /**
     * Creates a new segment of {@code size} bytes, zero-filled, owned by this JVM. A name already in
     * use throws {@link IllegalStateException}.
     *
     * @param name the segment's name, 1 to 200 of {@code [A-Za-z0-9_.-]}; other processes
     *     {@link #attach} by it (Python's {@code SharedMemory(name, create=True, size=...)})
     * @param size the usable size in bytes, from 1 to about 2 GiB
     * @return the new segment, mapped in this JVM; {@link #close()} unlinks it
     * @throws IllegalArgumentException if {@code name} is not a valid name or {@code size} is out
     *     of range
     * @throws IllegalStateException if a segment named {@code name} already exists (Python's
     *     {@code FileExistsError})
     * @throws UncheckedIOException if the operating system cannot create or map it (e.g.
     *     {@code /dev/shm} is full)
     */
    public static SharedMemory create(String name, long size) {
        checkName(name);
        if (size <= 0 || size > Integer.MAX_VALUE - SharedMemoryLayout.HEADER_SIZE) {
            throw new IllegalArgumentException("size must be in 1.." + (Integer.MAX_VALUE - SharedMemoryLayout.HEADER_SIZE) + ": " + size);
        }
        Path path = pathOf(name);
        // The segment is built under a private name and then hard-linked to its public one:
        // link(2) fails if the name exists (so creation is exclusive) and an attacher never sees
        // a half-written header.
        Path tmp = ShmRegistry.newOwnedPath("tmp");
        int total = (int) (size + SharedMemoryLayout.HEADER_SIZE);
        MappedByteBuffer whole;
        try {
            try (FileChannel ch = FileChannel.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.READ, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                whole = ch.map(FileChannel.MapMode.READ_WRITE, 0, total);
            }
            whole.order(ByteOrder.nativeOrder());
            whole.putInt(SharedMemoryLayout.VERSION_OFFSET, SharedMemoryLayout.VERSION);
            whole.putLong(SharedMemoryLayout.OWNER_OFFSET, ProcessIdentity.SELF);
            whole.putLong(SharedMemoryLayout.SIZE_OFFSET, size);
            INT.setRelease(whole, SharedMemoryLayout.MAGIC_OFFSET, SharedMemoryLayout.MAGIC);
            // Registered before it exists, so this JVM never has an unregistered file of its own.
            ShmRegistry.register(path);
            try {
                Files.createLink(path, tmp);
            } catch (FileAlreadyExistsException e) {
                ShmRegistry.forget(path); // someone else's: leave it alone
                throw new IllegalStateException("a shared memory segment named '" + name + "' already exists");
            } catch (IOException | RuntimeException e) {
                ShmRegistry.forget(path);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create shared memory '" + name + "'", e);
        } finally {
            ShmRegistry.unlink(tmp);
        }
        SharedMemory shm = new SharedMemory(name, path, size, whole, true);
        MAPPED.put(name, new WeakReference<>(shm));
        return shm;
    }

    /**
     * Attaches to an existing segment; an unknown name throws {@link IllegalArgumentException}.
     *
     * @param name the name the segment was created with
     * @return a new mapping of that segment in this JVM; its {@link #close()} does not unlink it
     * @throws IllegalArgumentException if {@code name} is not a valid name, no segment has it
     *     (Python's {@code FileNotFoundError}), or the segment is not one of pyconcurrent's
     * @throws UncheckedIOException if the operating system cannot open or map it (e.g. it belongs
     *     to another user)
     */
    public static SharedMemory attach(String name) {
        checkName(name);
        Path path = pathOf(name);
        MappedByteBuffer whole;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long length = ch.size();
            if (length < SharedMemoryLayout.HEADER_SIZE || length > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("'" + name + "' is not a pyconcurrent shared memory segment");
            }
            whole = ch.map(FileChannel.MapMode.READ_WRITE, 0, length);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no shared memory segment named '" + name + "'");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot attach to shared memory '" + name + "'", e);
        }
        whole.order(ByteOrder.nativeOrder());
        if ((int) INT.getAcquire(whole, SharedMemoryLayout.MAGIC_OFFSET) != SharedMemoryLayout.MAGIC) {
            throw new IllegalArgumentException("'" + name + "' is not a pyconcurrent shared memory segment");
        }
        long size = whole.getLong(SharedMemoryLayout.SIZE_OFFSET);
        return new SharedMemory(name, path, size, whole, false);
    }

    /**
     * A segment for an object of this package (a lock, an Array...): a generated name, owned by
     * this JVM, unlinked when the returned object becomes garbage here, when closed, or at exit.
     */
    static SharedMemory createAnonymous(String kind, long size) {
        SharedMemory shm = create(ShmRegistry.newSegmentName(kind), size);
        Path path = shm.path;
        CLEANER.register(shm, () -> ShmRegistry.unlink(path));
        return shm;
    }

    /** The mapping of {@code name} in this JVM: the existing one if any, else a new attach. */
    static SharedMemory open(String name) {
        WeakReference<SharedMemory> ref = MAPPED.get(name);
        SharedMemory shm = ref == null ? null : ref.get();
        if (shm != null && !shm.closed) {
            return shm;
        }
        shm = attach(name);
        MAPPED.put(name, new WeakReference<>(shm));
        return shm;
    }

    /**
     * The segment's name, as given to {@link #create} or {@link #attach} (Python's {@code name}).
     *
     * @return the name, without the file system prefix
     */
    public String name() {
        return name;
    }

    /**
     * The usable size in bytes (the header excluded).
     *
     * @return the number of bytes {@link #buffer()} covers, as given to {@link #create}
     */
    public long size() {
        return size;
    }

    /**
     * A new view of the segment's bytes: position 0, limit {@link #size()}, native byte order.
     * Views share the memory, not their position.
     *
     * @return a new buffer over the segment's bytes (Python's {@code buf})
     * @throws IllegalStateException if this handle was closed
     */
    public ByteBuffer buffer() {
        checkOpen();
        return whole.slice(SharedMemoryLayout.HEADER_SIZE, (int) size).order(ByteOrder.nativeOrder());
    }

    /**
     * Sleeps while the 32-bit word at {@code offset} of {@link #buffer()} still holds
     * {@code expected}, for at most {@code timeoutNanos} (positive): a shared Linux futex wait, for
     * code outside this package that builds its own primitive in a segment (the multiprocessing
     * queues). Returns {@code false} if the timeout elapsed, {@code true} otherwise: woken, the word
     * already differed, or a signal. Callers loop and re-check their condition: a return never
     * means it holds. The word must be 4-byte aligned; access it with {@link VarHandle} atomic
     * modes (a {@code byteBufferViewVarHandle} in native order) on {@link #buffer()}.
     *
     * @param offset the word's offset in {@link #buffer()}, a multiple of 4
     * @param expected the value the word must still hold for the thread to sleep
     * @param timeoutNanos the longest sleep, in nanoseconds, positive
     * @return false if the timeout elapsed, true otherwise (woken, the word differed, or a signal)
     * @throws IllegalArgumentException if {@code timeoutNanos} is not positive, or {@code offset}
     *     is not an aligned int inside the segment
     * @throws IllegalStateException if this handle was closed
     */
    public boolean futexWait(int offset, int expected, long timeoutNanos) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeoutNanos must be positive: " + timeoutNanos);
        }
        return Futex.await(wordAddress(offset), expected, timeoutNanos);
    }

    /**
     * Wakes at most {@code count} threads, of any process, sleeping in {@link #futexWait} on the
     * word at {@code offset} of {@link #buffer()}; returns how many woke. A system call: callers
     * usually keep a count of sleepers and wake only when it is non-zero.
     *
     * @param offset the word's offset in {@link #buffer()}, a multiple of 4
     * @param count the most sleepers to wake; {@link Integer#MAX_VALUE} wakes all
     * @return how many threads were woken
     * @throws IllegalArgumentException if {@code offset} is not an aligned int inside the segment
     * @throws IllegalStateException if this handle was closed
     */
    public int futexWake(int offset, int count) {
        return Futex.wake(wordAddress(offset), count);
    }

    private long wordAddress(int offset) {
        checkOpen();
        if (offset < 0 || offset > size - 4 || (offset & 3) != 0) {
            throw new IllegalArgumentException("a futex word is an aligned int inside the segment: offset " + offset);
        }
        return address() + SharedMemoryLayout.HEADER_SIZE + offset;
    }

    /**
     * Whether this JVM created (and so owns) the segment.
     *
     * @return true for the handle returned by {@link #create} (its close unlinks the name), false
     *     for an attached one
     */
    public boolean isOwner() {
        return creator;
    }

    /**
     * Closes this process's access; the creator's close also unlinks the name. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        MAPPED.computeIfPresent(name, (n, ref) -> ref.get() == this ? null : ref);
        if (creator) {
            ShmRegistry.unlink(path);
        }
    }

    /** Removes the name, so no new process can attach; mappings stay valid. Idempotent. */
    public void unlink() {
        ShmRegistry.unlink(path);
    }

    /** The whole mapping, header included: offsets of the layouts are relative to it. */
    ByteBuffer whole() {
        return whole;
    }

    /** The native address of byte 0 of {@link #whole()}. */
    long address() {
        long a = address;
        if (a == 0) {
            a = Pointer.nativeValue(Native.getDirectBufferPointer(whole));
            address = a;
        }
        return a;
    }

    /** The companion of the object at {@code offset} in this JVM, created on first use. */
    @SuppressWarnings("unchecked")
    <T> T companion(int offset, java.util.function.Supplier<T> create) {
        return (T) companions.computeIfAbsent(offset, o -> create.get());
    }

    Path path() {
        return path;
    }

    @Override
    public String toString() {
        return "SharedMemory[" + name + ", " + size + " bytes" + (creator ? ", owner" : "") + (closed ? ", closed" : "") + "]";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("shared memory '" + name + "' is closed");
        }
    }

    private static Path pathOf(String name) {
        return ShmRegistry.DIR.resolve(ShmRegistry.SEGMENT_PREFIX + name);
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a shared memory name is 1-200 of [A-Za-z0-9_.-]: " + name);
        }
    }

    /**
     * Travels as its name; the receiver maps the same segment (or reuses its mapping).
     *
     * @return the handle that is serialized in this segment's place
     */
    @Serial
    private Object writeReplace() {
        return new Handle(name);
    }

    /**
     * What travels: the name.
     *
     * @param name the segment's name
     */
    private record Handle(String name) implements Serializable {
        @Serial
        private Object readResolve() throws ObjectStreamException {
            return open(name);
        }
    }
}
