package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.threading.EventLike;
import io.github.pyconcurrent.threading.suites.EventTests;
import org.junit.jupiter.api.AfterAll;

/** The lock_tests suite (EventTests) for the process-shared {@link Event}, within one JVM. */
class SharedEventTest extends EventTests {
    @Override
    protected EventLike newEvent() {
        return new Event();
    }

    @AfterAll
    static void nothingLeftInDevShm() {
        System.gc(); // segments of garbage primitives are unlinked by their cleaner
        ShmLeaks.assertNoStrays();
    }
}
