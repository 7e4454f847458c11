package io.github.pyconcurrent.examples;

import io.github.pyconcurrent.multiprocessing.Multiprocessing;
import io.github.pyconcurrent.multiprocessing.Process;
import io.github.pyconcurrent.shared.Array;
import java.util.ArrayList;
import java.util.List;

/**
 * Python: two Processes write into one shared {@code Array('i', [11,22,33,44])} and print it.
 * <p>The tutorial's first way to share data, a shared {@code Array}, in Java:
 * <pre>
 * temp = Array('i', [11, 22, 33, 44])
 * def Foo(i):
 *     temp[i] = 100 + i
 *     for item in temp:
 *         print i, '----->', item
 * for i in range(2):
 *     p = Process(target=Foo, args=(i,))
 *     p.start()
 * </pre>
 * Python's forked children inherit the global {@code temp}; a child JVM would build its own
 * static field afresh, so here {@code temp} is captured by the target, which is how a shared
 * object reaches a child (Python's {@code spawn} method needs the same: {@code args=(temp, i)}).
 * An optional argument is the start method.
 */
public final class SharedArrayExample {
    private SharedArrayExample() {}

    static void foo(Array temp, int i) {
        temp.setInt(i, 100 + i);
        for (int item : temp.toIntArray()) {
            System.out.println(i + " -----> " + item);
        }
    }

    /** Starts the two children and returns them (the program itself does not wait for them). */
    static List<Process> start(Array temp) {
        List<Process> started = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int n = i;
            Process p = new Process(() -> foo(temp, n));
            p.start();
            started.add(p);
        }
        return started;
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            Multiprocessing.setStartMethod(args[0]);
        }
        Array temp = Array.of('i', 11, 22, 33, 44);
        start(temp);
    }
}
