package io.github.pyconcurrent.examples;

import io.github.pyconcurrent.multiprocessing.Multiprocessing;
import io.github.pyconcurrent.multiprocessing.Process;
import io.github.pyconcurrent.shared.Array;
import io.github.pyconcurrent.shared.RLock;

/**
 * Python: twenty Processes update a shared {@code Array} under one {@code multiprocessing.RLock()}.
 * <p>The tutorial's process lock program, in Java:
 * <pre>
 * def Foo(lock, temp, i):
 *     lock.acquire()
 *     temp[0] = 100 + i
 *     for item in temp:
 *         print i, '----->', item
 *     lock.release()
 * lock = RLock()
 * temp = Array('i', [11, 22, 33, 44])
 * for i in range(20):
 *     p = Process(target=Foo, args=(lock, temp, i,))
 *     p.start()
 * </pre>
 * Under the lock no other child can change {@code temp[0]} between the write and the prints, so
 * every child prints its own {@code 100 + i} first and its four lines together. An optional
 * argument is the start method.
 */
public final class ProcessLockExample {
    private ProcessLockExample() {}

    static void foo(RLock lock, Array temp, int i) {
        lock.acquire();
        temp.setInt(0, 100 + i);
        for (int item : temp.toIntArray()) {
            System.out.println(i + " -----> " + item);
        }
        lock.release();
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            Multiprocessing.setStartMethod(args[0]);
        }
        RLock lock = new RLock();
        Array temp = Array.of('i', 11, 22, 33, 44);
        for (int i = 0; i < 20; i++) {
            int n = i;
            Process p = new Process(() -> foo(lock, temp, n));
            p.start();
        }
    }
}
