package io.github.pyconcurrent.socketserver;

import java.lang.reflect.Method;
import java.nio.channels.Channel;

/**
 * The file descriptor number behind a JDK channel, which the JDK does not publish: every
 * {@code sun.nio.ch} selectable channel implements {@code sun.nio.ch.SelChImpl.getFDVal()}. Needs
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}, one of the toolkit's JVM flags.
 */
final class Fds {
    private Fds() {}

    static int of(Channel channel) {
        try {
            Class<?> selCh = Class.forName("sun.nio.ch.SelChImpl");
            if (!selCh.isInstance(channel)) {
                throw new IllegalArgumentException("not a JDK socket channel: " + channel.getClass().getName());
            }
            Method m = selCh.getMethod("getFDVal");
            m.setAccessible(true);
            return (Integer) m.invoke(channel);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read the descriptor of a channel: the JVM needs"
                    + " --add-opens java.base/sun.nio.ch=ALL-UNNAMED (one of the toolkit's JVM flags)", e);
        }
    }
}
