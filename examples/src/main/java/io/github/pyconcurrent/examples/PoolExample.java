package io.github.pyconcurrent.examples;

import io.github.pyconcurrent.multiprocessing.Pool;

/**
 * Python: {@code Pool(5)} runs ten 2-second tasks with {@code apply_async(..., callback=Bar)},
 * then {@code close()} and {@code join()}: about 4 s in all, not 20.
 * <pre>
 * def Foo(i):
 *     time.sleep(2)
 *     return i + 100
 * def Bar(arg):
 *     print arg
 * pool = Pool(5)
 * for i in range(10):
 *     pool.apply_async(func=Foo, args=(i,), callback=Bar)
 * print 'end'
 * pool.close()
 * pool.join()
 * </pre>
 * {@code Foo} runs in one of the five worker JVMs; {@code Bar} runs here, on the pool's result
 * thread. ({@code Pool.close()} already waits for the queued tasks and the workers, see its
 * javadoc; {@code join()} is kept as the tutorial writes it.) The last line is the elapsed time.
 */
public final class PoolExample {
    private PoolExample() {}

    static int foo(int i) {
        Time.sleep(2);
        return i + 100;
    }

    static void bar(Object arg) {
        System.out.println(arg);
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        Pool pool = new Pool(5);
        for (int i = 0; i < 10; i++) {
            int n = i;
            pool.applyAsync(() -> foo(n), PoolExample::bar);
        }
        System.out.println("end");
        pool.close();
        pool.join();
        System.out.printf("ten 2 s tasks on 5 workers took %.1f s (starting the workers included)%n", (System.nanoTime() - start) / 1e9);
    }
}
