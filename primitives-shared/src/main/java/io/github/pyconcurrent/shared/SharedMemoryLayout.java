package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.shared.internal.ProcessIdentity;

/**
 * The header of every {@link SharedMemory} file ({@code /dev/shm/pyconc.<name>}); the user's bytes
 * start at {@link #HEADER_SIZE}, so they are 64-byte (cache-line) aligned.
 *
 * <pre>
 *   0   int   magic, written last (release) by the creator: the header is valid once it reads MAGIC
 *   4   int   layout version
 *   8   long  creator's owner word ({@link ProcessIdentity})
 *   16  long  user size in bytes
 *   24..63    reserved (pads the header to a cache line)
 * </pre>
 */
final class SharedMemoryLayout {
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int OWNER_OFFSET = 8;
    static final int SIZE_OFFSET = 16;
    static final int HEADER_SIZE = 64;

    /** "PYCS" in ASCII. */
    static final int MAGIC = 0x50594353;
    static final int VERSION = 1;

    private SharedMemoryLayout() {}
}
