package io.github.pyconcurrent.shared.internal;

/**
 * The header of every {@link io.github.pyconcurrent.shared.SharedMemory} file ({@code /dev/shm/pyconc.<name>}); the user's bytes
 * start at {@link #HEADER_SIZE}, so they are 64-byte (cache-line) aligned.
 *
 * <pre>
 *   0   int   magic, written last (release) by the creator: the header is valid once it reads MAGIC
 *   4   int   layout version
 *   8   long  creator's owner word ({@link ProcessIdentity})
 *   16  long  user size in bytes
 *   24..63    reserved (pads the header to a cache line)
 * </pre>
 *
 * <p>Not API: public only because {@code ShmRegistry} reads a segment's creator
 * from it when it sweeps, besides the shared package's primitives.
 */
public final class SharedMemoryLayout {
    /** Where the magic number is. */
    public static final int MAGIC_OFFSET = 0;
    /** Where the layout version is. */
    public static final int VERSION_OFFSET = 4;
    /** Where the creator's owner word is. */
    public static final int OWNER_OFFSET = 8;
    /** Where the user size is. */
    public static final int SIZE_OFFSET = 16;
    /** The header's size: where the user's bytes start. */
    public static final int HEADER_SIZE = 64;

    /** "PYCS" in ASCII. */
    public static final int MAGIC = 0x50594353;
    /** This layout's version. */
    public static final int VERSION = 1;

    private SharedMemoryLayout() {}
}
