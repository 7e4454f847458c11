package io.github.pyconcurrent.examples;

import io.github.pyconcurrent.threading.RLock;
import io.github.pyconcurrent.threading.Thread;
import java.util.ArrayList;
import java.util.List;

/**
 * Python: the same ten threads doing {@code gl_num += 1}, each increment under a
 * {@code threading.RLock()}, so none is lost.
 * <pre>
 * gl_num = 0
 * lock = threading.RLock()
 * def Func():
 *     lock.acquire()
 *     global gl_num
 *     gl_num += 1
 *     time.sleep(1)
 *     print gl_num
 *     lock.release()
 * for i in range(10):
 *     threading.Thread(target=Func).start()
 * </pre>
 * As {@link CounterRace}, each thread adds {@code ITERATIONS} times (argument; default 200000),
 * without the tutorial's one-second sleep; it prints the count it reached when it finished
 * ({@code print gl_num}), then the total, which is always exact.
 */
public final class CounterRLock {
    static int glNum;
    static final RLock lock = new RLock();

    private CounterRLock() {}

    @SuppressWarnings("try")  // the held lock is the point of the block, not a value in it
    static void func(int iterations) {
        for (int k = 0; k < iterations; k++) {
            try (var held = lock.hold()) {   // with lock:
                glNum += 1;
            }
        }
        try (var held = lock.hold()) {
            System.out.println(glNum);
        }
    }

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        glNum = 0;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Thread t = new Thread(() -> func(iterations));
            t.start();
            threads.add(t);
        }
        threads.forEach(Thread::join);
        CounterRace.report("RLock", iterations, glNum);
    }
}
