package io.github.pyconcurrent.shared;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The VarHandles through which every shared word is read and written: views of a
 * {@link java.nio.ByteBuffer} (the mapped segment) as ints and longs in native order. Atomic
 * access modes need the word aligned to its size; every layout here guarantees it.
 */
final class Words {
    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    static {
        // A futex is a 32-bit word: on a little-endian machine the low half of a 64-bit lock word
        // is at the word's own address, which is where the primitives wait.
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("process-shared primitives assume a little-endian machine");
        }
    }

    private Words() {}
}
