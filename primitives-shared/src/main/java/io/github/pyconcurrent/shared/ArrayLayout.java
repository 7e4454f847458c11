package io.github.pyconcurrent.shared;

/**
 * The segment of an {@link Array} or {@link Value}, offsets from its base.
 *
 * <pre>
 *   0    the RLock of getLock() ({@link LockLayout}, 64 bytes; unused when lock=false)
 *   64   the elements, natively ordered, each aligned to its size
 * </pre>
 * The type code and length travel in the handle, not in the segment.
 */
final class ArrayLayout {
    static final int LOCK = 0;
    static final int DATA = 64;

    private ArrayLayout() {}

    static long size(int itemSize, int length) {
        return DATA + (long) itemSize * Math.max(1, length);
    }
}
