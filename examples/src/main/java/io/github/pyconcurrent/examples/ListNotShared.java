package io.github.pyconcurrent.examples;

import io.github.pyconcurrent.multiprocessing.Multiprocessing;
import io.github.pyconcurrent.multiprocessing.Process;
import java.util.ArrayList;
import java.util.List;

/**
 * Python: ten Processes append to a plain global list, and each sees only its own item: processes do not share data.
 * <p>The tutorial's "processes do not share data" program, in Java:
 * <pre>
 * li = []
 * def foo(i):
 *     li.append(i)
 *     print 'say hi', li
 * for i in range(10):
 *     p = Process(target=foo, args=(i,))
 *     p.start()
 * print 'ending', li
 * </pre>
 * Each child appends to its own copy of the module-level list (here a static field, which every
 * child JVM has afresh), so each prints a list holding only its own number, and the parent prints
 * {@code ending []}. An optional argument is the start method.
 */
public final class ListNotShared {
    static final List<Integer> li = new ArrayList<>();

    private ListNotShared() {}

    static void foo(int i) {
        li.add(i);
        System.out.println("say hi " + li);
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            Multiprocessing.setStartMethod(args[0]);
        }
        for (int i = 0; i < 10; i++) {
            int n = i;
            Process p = new Process(() -> foo(n));
            p.start();
        }
        System.out.println("ending " + li);
    }
}
