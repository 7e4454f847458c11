package io.github.pyconcurrent.shared;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test fixture for a suite run against objects another JVM created: starts one
 * {@link RemoteFactory} before the test class, closes it after, and then asserts nothing of ours
 * is left in /dev/shm ({@link ShmLeaks}). An extension rather than a base class, because each
 * suite already extends its lock_tests suite:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RemoteFactoryFixture factory = new RemoteFactoryFixture();
 * ... factory.create("Lock", 0) ...
 * }</pre>
 */
final class RemoteFactoryFixture implements BeforeAllCallback, AfterAllCallback {
    /** The running child; null outside the test class. */
    private RemoteFactory factory;

    @Override
    public void beforeAll(ExtensionContext context) {
        factory = new RemoteFactory();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (factory != null) {   // null if starting it failed: that failure is the one to report
            factory.close();
            factory = null;
        }
        ShmLeaks.assertNoStrays();
    }

    /** A new object of {@code kind} made by the child: see {@link RemoteFactory#create}. */
    <T> T create(String kind, int value) {
        return factory.create(kind, value);
    }
}
