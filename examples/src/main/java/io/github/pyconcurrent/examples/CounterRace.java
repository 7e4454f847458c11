package io.github.pyconcurrent.examples;

import io.github.pyconcurrent.threading.Thread;
import java.util.ArrayList;
import java.util.List;

/**
 * Python: ten threads doing {@code global gl_num; gl_num += 1} with no lock, so updates are lost.
 * <pre>
 * gl_num = 0
 * def show(arg):
 *     global gl_num
 *     gl_num += 1
 * for i in range(10):
 *     threading.Thread(target=show, args=(i,)).start()
 * </pre>
 * One increment per thread rarely collides, so each thread here adds {@code ITERATIONS} times
 * (argument; default 200000). {@code glNum} is volatile so that every {@code += 1} really reads
 * and writes memory (the JIT may not fold the loop into one addition): a read-add-write that
 * another thread's write can slip into. The total printed is usually short of the expected one;
 * {@link CounterRLock} is the same program under a lock.
 */
public final class CounterRace {
    static volatile int glNum;

    private CounterRace() {}

    static void show(int iterations) {
        for (int k = 0; k < iterations; k++) {
            glNum += 1;
        }
    }

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        glNum = 0;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Thread t = new Thread(() -> show(iterations));
            t.start();
            threads.add(t);
        }
        threads.forEach(Thread::join);
        report("no lock", iterations, glNum);
    }

    /** Prints the total, the expected total and how many updates were lost. */
    static void report(String how, int iterations, int total) {
        long expected = 10L * iterations;
        System.out.println(how + ": 10 threads x " + iterations + " increments -> gl_num = " + total
                + " (expected " + expected + ", " + (expected - total) + " updates lost)");
    }
}
