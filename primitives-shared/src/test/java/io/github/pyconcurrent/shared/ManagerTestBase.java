package io.github.pyconcurrent.shared;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Test base: every test gets a fresh {@link Manager} in {@link #manager}, shut down after it (a
 * test may shut it down itself first: shutdown is idempotent), and once the class is done nothing
 * of ours may be left in /dev/shm ({@link ShmLeaks}).
 */
abstract class ManagerTestBase {
    /** How long a test waits for a child JVM it started. */
    static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    /** The manager of the running test. */
    Manager manager;

    @BeforeEach
    final void startManager() {
        manager = Manager.start();
    }

    @AfterEach
    final void shutdownManager() {
        manager.shutdown();
    }

    @AfterAll
    static void nothingLeftInDevShm() {
        ShmLeaks.assertNoStrays();
    }
}
