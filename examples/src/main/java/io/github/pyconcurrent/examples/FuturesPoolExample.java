package io.github.pyconcurrent.examples;

import io.github.pyconcurrent.futures.Future;
import io.github.pyconcurrent.futures.Futures;
import io.github.pyconcurrent.futures.ProcessPoolExecutor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The tutorial's Pool program ({@link PoolExample}) as it is written today, with
 * {@code concurrent.futures}: ten 2-second tasks on five worker JVMs, each result printed as it
 * arrives, about 4 s in all.
 * <pre>
 * def Foo(i):
 *     time.sleep(2)
 *     return i + 100
 * with ProcessPoolExecutor(5) as executor:
 *     futures = [executor.submit(Foo, i) for i in range(10)]
 *     print('end')
 *     for f in as_completed(futures):
 *         print(f.result())
 * </pre>
 * {@code Foo} runs in a worker JVM; the results are printed here, in the order the tasks finish.
 * The last line is the elapsed time.
 */
public final class FuturesPoolExample {
    private FuturesPoolExample() {}

    public static void main(String[] args) {
        long start = System.nanoTime();
        try (ProcessPoolExecutor executor = new ProcessPoolExecutor(5)) {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                futures.add(executor.submit(() -> PoolExample.foo(n)));
            }
            System.out.println("end");
            for (Iterator<Future<Integer>> it = Futures.asCompleted(futures); it.hasNext(); ) {
                System.out.println(it.next().result());
            }
        }
        System.out.printf("ten 2 s tasks on 5 workers took %.1f s (starting the workers included)%n", (System.nanoTime() - start) / 1e9);
    }
}
