package io.github.pyconcurrent.socketserver;

import java.io.FileDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * The file descriptor number behind a JDK channel, which the JDK does not publish: every
 * {@code sun.nio.ch} selectable channel implements {@code sun.nio.ch.SelChImpl.getFDVal()}; and
 * the way back, a JDK channel around a connected socket this JVM received from another process
 * ({@link #adopt}). Needs {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}, one of the
 * toolkit's JVM flags.
 */
final class Fds {
    private Fds() {}

    static int of(Channel channel) {
        if (!FdVal.SEL_CH.isInstance(channel)) {
            throw new IllegalArgumentException("not a JDK socket channel: " + channel.getClass().getName());
        }
        try {
            return (Integer) FdVal.GET_FD_VAL.invoke(channel);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the descriptor of " + channel, e);
        }
    }

    /**
     * Parks the calling virtual thread until {@code channel} (a JDK socket channel) is readable:
     * the JDK's own wait, {@code SelChImpl.park(Net.POLLIN, 0)}, that a blocking read makes after
     * it found nothing. Returns at once when the channel is closed before the wait; a close during
     * it does not wake it (the caller's close must); may return early (spuriously).
     * Only when {@link #CAN_AWAIT_READABLE}.
     */
    static void awaitReadable(SocketChannel channel) throws java.io.IOException {
        await(channel, Park.POLLIN);
    }

    /**
     * Parks the calling thread until {@code channel}, a non-blocking JDK socket channel, has
     * room in its send buffer (the JDK's {@code SelChImpl.park(Net.POLLOUT, 0)}), as
     * {@link #awaitReadable} does for bytes. Only when {@link #CAN_AWAIT_READABLE}.
     */
    static void awaitWritable(SocketChannel channel) throws java.io.IOException {
        await(channel, Park.POLLOUT);
    }

    private static void await(SocketChannel channel, int event) throws java.io.IOException {
        if (Park.PARK == null) {
            throw new IllegalStateException("cannot wait for a socket: the JVM needs"
                    + " --add-opens java.base/sun.nio.ch=ALL-UNNAMED (one of the toolkit's JVM flags)");
        }
        try {
            Park.PARK.invokeExact((Object) channel, event, 0L);
        } catch (java.io.IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Whether {@link #awaitReadable} is there (the JVM opens {@code sun.nio.ch} to this code). */
    static final boolean CAN_AWAIT_READABLE = Park.PARK != null;

    /** {@code SelChImpl.park(int, long)}, {@code Net.POLLIN} and {@code Net.POLLOUT}; null when not accessible. */
    private static final class Park {
        static final java.lang.invoke.MethodHandle PARK;
        static final int POLLIN;
        static final int POLLOUT;

        static {
            java.lang.invoke.MethodHandle park = null;
            int pollin = 0;
            int pollout = 0;
            try {
                Class<?> selCh = Class.forName("sun.nio.ch.SelChImpl");
                Method m = selCh.getMethod("park", int.class, long.class);
                m.setAccessible(true);
                java.lang.reflect.Field f = Class.forName("sun.nio.ch.Net").getField("POLLIN");
                f.setAccessible(true);
                pollin = f.getShort(null);
                java.lang.reflect.Field out = Class.forName("sun.nio.ch.Net").getField("POLLOUT");
                out.setAccessible(true);
                pollout = out.getShort(null);
                park = java.lang.invoke.MethodHandles.lookup().unreflect(m)
                        .asType(java.lang.invoke.MethodType.methodType(void.class, Object.class, int.class, long.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                park = null; // a blocking read then waits inside the read, as the JDK's does
            }
            PARK = park;
            POLLIN = pollin;
            POLLOUT = pollout;
        }
    }

    /** {@code SelChImpl.getFDVal()}, looked up once (a preforking server reads a descriptor per connection). */
    private static final class FdVal {
        static final Class<?> SEL_CH;
        static final Method GET_FD_VAL;

        static {
            try {
                SEL_CH = Class.forName("sun.nio.ch.SelChImpl");
                GET_FD_VAL = SEL_CH.getMethod("getFDVal");
                GET_FD_VAL.setAccessible(true);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("cannot read the descriptor of a channel: the JVM needs"
                        + " --add-opens java.base/sun.nio.ch=ALL-UNNAMED (one of the toolkit's JVM flags)", e);
            }
        }
    }

    /**
     * A blocking {@link SocketChannel} that owns {@code fd}, a connected stream socket of
     * {@code family} (INET, INET6 or UNIX) whose peer is {@code remote}: the channel the JDK's
     * {@code ServerSocketChannel.accept()} makes for a new connection (the same constructor), for
     * a connection accepted in another process and received with {@code SCM_RIGHTS}. The JDK's
     * only public door for such a socket, {@code System.inheritedChannel()}, takes fd 0 once per
     * JVM; a preforking worker receives thousands. Closing the channel closes {@code fd}.
     */
    static SocketChannel adopt(int fd, ProtocolFamily family, SocketAddress remote) throws java.io.IOException {
        try {
            FileDescriptor descriptor = (FileDescriptor) Adopt.NEW_FD.invoke(null, fd);
            return (SocketChannel) Adopt.CHANNEL.newInstance(SelectorProvider.provider(), family, descriptor, remote);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof java.io.IOException io) {
                throw io;
            }
            throw new IllegalStateException("cannot make a channel of descriptor " + fd, e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a channel of descriptor " + fd, e);
        }
    }

    /** The JDK internals {@link #adopt} calls, looked up once. */
    private static final class Adopt {
        static final Method NEW_FD;
        static final Constructor<?> CHANNEL;

        static {
            try {
                NEW_FD = Class.forName("sun.nio.ch.IOUtil").getDeclaredMethod("newFD", int.class);
                NEW_FD.setAccessible(true);
                CHANNEL = Class.forName("sun.nio.ch.SocketChannelImpl").getDeclaredConstructor(SelectorProvider.class,
                        ProtocolFamily.class, FileDescriptor.class, SocketAddress.class);
                CHANNEL.setAccessible(true);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("cannot adopt a received socket: the JVM needs"
                        + " --add-opens java.base/sun.nio.ch=ALL-UNNAMED (one of the toolkit's JVM flags), and a JDK"
                        + " whose sun.nio.ch.SocketChannelImpl has the constructor accept() uses (JDK 17 to 25 do)", e);
            }
        }
    }
}
