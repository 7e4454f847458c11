package io.github.pyconcurrent.examples;

import io.github.pyconcurrent.threading.Thread;

/**
 * Python: ten {@code threading.Thread(target=show, args=(i,))} that sleep 2 s and print
 * {@code thread i}, while the main thread prints {@code main thread stop} at once.
 * <pre>
 * def show(arg):
 *     time.sleep(2)
 *     print 'thread' + str(arg)
 * for i in range(10):
 *     t = threading.Thread(target=show, args=(i,))
 *     t.start()
 * print 'main thread stop'
 * </pre>
 * {@code main} returns first; as in Python, the JVM waits for the ten non-daemon threads, which
 * all wake after about 2 s (not 20): they slept at the same time.
 */
public final class Threads {
    private Threads() {}

    static void show(int arg) {
        Time.sleep(2);
        System.out.println("thread" + arg);
    }

    public static void main(String[] args) {
        for (int i = 0; i < 10; i++) {
            int n = i;
            Thread t = new Thread(() -> show(n));
            t.start();
        }
        System.out.println("main thread stop");
    }
}
