package io.github.pyconcurrent.examples;

import io.github.pyconcurrent.threading.UncheckedInterruptedException;

/** Python's {@code time.sleep}, for the examples: no checked exception, the interrupt kept. */
final class Time {
    private Time() {}

    /** Sleeps {@code seconds}; an interrupt restores the flag and surfaces as UncheckedInterruptedException. */
    static void sleep(double seconds) {
        try {
            java.lang.Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            throw new UncheckedInterruptedException(e);
        }
    }
}
