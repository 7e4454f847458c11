package io.github.pyconcurrent.examples;

import io.github.pyconcurrent.multiprocessing.Multiprocessing;
import io.github.pyconcurrent.multiprocessing.Process;

/**
 * Python: ten {@code multiprocessing.Process(target=foo, args=(i,))}, each printing {@code say hi i}.
 * <p>The tutorial's first multiprocessing program, in Java:
 * <pre>
 * from multiprocessing import Process
 * def foo(i):
 *     print 'say hi', i
 * for i in range(10):
 *     p = Process(target=foo, args=(i,))
 *     p.start()
 * </pre>
 * {@code main} returns right after the tenth {@code start()}; as in Python, the JVM then waits for
 * its ten non-daemon children before it exits. An optional argument is the start method
 * ({@code multiprocessing.set_start_method(sys.argv[1])}).
 */
public final class SayHi {
    private SayHi() {}

    static void foo(int i) {
        System.out.println("say hi " + i);
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
    }
}
