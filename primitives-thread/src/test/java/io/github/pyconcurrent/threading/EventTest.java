package io.github.pyconcurrent.threading;

import io.github.pyconcurrent.threading.suites.EventTests;

/** The lock_tests suite for {@link Event}. */
class EventTest extends EventTests {
    @Override
    protected EventLike newEvent() {
        return new Event();
    }
}
