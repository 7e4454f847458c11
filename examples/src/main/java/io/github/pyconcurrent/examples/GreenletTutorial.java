package io.github.pyconcurrent.examples;

import io.github.pyconcurrent.greenlet.Greenlet;
import java.io.PrintStream;

/**
 * Python: two greenlets, {@code test1} and {@code test2}, switch to each other and print 12 56 34 78.
 * <p>The tutorial's greenlet program, line for line:
 *
 * <pre>
 * from greenlet import greenlet
 * def test1():
 *     print 12
 *     gr2.switch()
 *     print 34
 *     gr2.switch()
 * def test2():
 *     print 56
 *     gr1.switch()
 *     print 78
 * gr1 = greenlet(test1)
 * gr2 = greenlet(test2)
 * gr1.switch()
 * </pre>
 *
 * Prints 12, 56, 34, 78. Run it with the toolkit's JVM flags (JvmFlags) for the continuation
 * backend; without them it runs on the virtual-thread backend.
 */
public final class GreenletTutorial {
    private static Greenlet gr1;
    private static Greenlet gr2;

    private GreenletTutorial() {}

    public static void main(String[] args) {
        run(System.out);
    }

    /** Runs the program, printing to {@code out}. */
    public static void run(PrintStream out) {
        gr1 = new Greenlet(() -> test1(out));
        gr2 = new Greenlet(() -> test2(out));
        gr1.switchTo();
        // test2 ended, so we are back in main; test1 still waits in its last switch: end it too
        gr1.throwInto();
    }

    private static void test1(PrintStream out) {
        out.println(12);
        gr2.switchTo();
        out.println(34);
        gr2.switchTo();
    }

    private static void test2(PrintStream out) {
        out.println(56);
        gr1.switchTo();
        out.println(78);
    }
}
