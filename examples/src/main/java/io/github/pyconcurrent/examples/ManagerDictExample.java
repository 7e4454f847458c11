package io.github.pyconcurrent.examples;

import io.github.pyconcurrent.multiprocessing.Multiprocessing;
import io.github.pyconcurrent.multiprocessing.Process;
import io.github.pyconcurrent.shared.Manager;
import io.github.pyconcurrent.shared.SharedDict;

/**
 * Python: two Processes, one after the other, fill one {@code Manager().dict()} and print its values.
 * <p>The tutorial's second way to share data, {@code Manager().dict()}, in Java:
 * <pre>
 * manage = Manager()
 * dic = manage.dict()
 * def Foo(i):
 *     dic[i] = 100 + i
 *     print dic.values()
 * for i in range(2):
 *     p = Process(target=Foo, args=(i,))
 *     p.start()
 *     p.join()
 * </pre>
 * The dict is captured by the target, as the shared array is in {@link SharedArrayExample}. The
 * manager is closed (Python: shut down) once both children have been joined. An optional argument
 * is the start method.
 */
public final class ManagerDictExample {
    private ManagerDictExample() {}

    static void foo(SharedDict<Integer, Integer> dic, int i) {
        dic.put(i, 100 + i);
        System.out.println(dic.values());
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            Multiprocessing.setStartMethod(args[0]);
        }
        try (Manager manage = Manager.start()) {
            SharedDict<Integer, Integer> dic = manage.dict(Integer.class, Integer.class);
            for (int i = 0; i < 2; i++) {
                int n = i;
                Process p = new Process(() -> foo(dic, n));
                p.start();
                p.join();
            }
        }
    }
}
