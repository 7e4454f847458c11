package io.github.pyconcurrent.socketserver;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;

/**
 * Wakes virtual threads waiting for bytes on their connection ({@link ChannelStreamSocket}'s
 * reads): each connection is registered once, edge-triggered, in one epoll set of this JVM, for
 * as long as it is open. The JDK's own wait ({@code SelChImpl.park}, {@link Fds#awaitReadable})
 * registers the socket again, one-shot, before every wait: one {@code epoll_ctl} per request,
 * 13 % of the Virtual server's CPU under the echo load (perf, 2026-12-07), which Netty, whose
 * registrations last, does not pay. Here a request costs its read and its write, and the
 * {@code epoll_wait} is shared by every connection that became readable in between.
 *
 * <p>The poller is a virtual thread, as the JDK's own sub-pollers are: it polls without
 * blocking and yields while it finds events (so that the threads it woke run on the same
 * carriers), and when it finds none it parks in the JDK's poller on this set's descriptor, one
 * registration for all connections. Linux only, and only where the JVM opens
 * {@code sun.nio.ch} (one of the toolkit's flags): else {@link #AVAILABLE} is false and reads
 * wait the JDK's way.
 *
 * <p>Edge-triggered, a wait after a short read is safe for bytes (a read that returns fewer
 * than it asked for took all there were; bytes that come later make a new edge), but not for
 * the peer's close: the read that returns the last bytes leaves the end of stream that came with
 * them, and no later edge repeats it. So an event that tells of a close, a reset or urgent data
 * makes its socket wait the JDK's way (level-triggered) from then on.
 *
 * <p>A wake-up may be spurious (an event of a closed descriptor whose number a new connection
 * got, or bytes a read took before their event came): the waiter then reads, and a read that
 * finds nothing waits the JDK's way, so no wake-up is lost and none is needed twice.
 */
final class ReadPoller {
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLLIN = 0x1;
    private static final int EPOLLPRI = 0x2;
    private static final int EPOLLERR = 0x8;
    private static final int EPOLLHUP = 0x10;
    private static final int EPOLLRDHUP = 0x2000;
    /** Conditions a short read does not clear and no later edge repeats: the socket falls back to level-triggered waits. */
    private static final int HANG_UP = EPOLLPRI | EPOLLERR | EPOLLHUP | EPOLLRDHUP;
    private static final int EPOLLET = 1 << 31;
    private static final int MAX_EVENTS = 256;

    private static final MethodHandle CREATE;
    private static final MethodHandle CTL;
    private static final MethodHandle WAIT;
    private static final MethodHandle ALLOCATE;
    private static final MethodHandle GET_EVENT;
    private static final MethodHandle GET_DESCRIPTOR;
    private static final MethodHandle GET_EVENTS;
    /** {@code sun.nio.ch.Poller.poll(int fd, int event, long nanos, BooleanSupplier isOpen)}. */
    private static final MethodHandle PARK_ON_FD;
    private static final int POLLIN;

    /** Whether connections can be registered here (Linux, {@code sun.nio.ch} opened to this code). */
    static final boolean AVAILABLE;

    static {
        MethodHandle create = null;
        MethodHandle ctl = null;
        MethodHandle wait = null;
        MethodHandle allocate = null;
        MethodHandle getEvent = null;
        MethodHandle getDescriptor = null;
        MethodHandle getEvents = null;
        MethodHandle park = null;
        int pollin = 0;
        boolean available;
        try {
            Class<?> epoll = Class.forName("sun.nio.ch.EPoll");
            create = handle(epoll, "create");
            ctl = handle(epoll, "ctl", int.class, int.class, int.class, int.class);
            wait = handle(epoll, "wait", int.class, long.class, int.class, int.class);
            allocate = handle(epoll, "allocatePollArray", int.class);
            getEvent = handle(epoll, "getEvent", long.class, int.class);
            getDescriptor = handle(epoll, "getDescriptor", long.class);
            getEvents = handle(epoll, "getEvents", long.class);
            park = handle(Class.forName("sun.nio.ch.Poller"), "poll", int.class, int.class, long.class,
                    BooleanSupplier.class);
            java.lang.reflect.Field f = Class.forName("sun.nio.ch.Net").getField("POLLIN");
            f.setAccessible(true);
            pollin = f.getShort(null);
            available = true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            available = false; // not Linux, or sun.nio.ch not opened: reads wait the JDK's way
        }
        CREATE = create;
        CTL = ctl;
        WAIT = wait;
        ALLOCATE = allocate;
        GET_EVENT = getEvent;
        GET_DESCRIPTOR = getDescriptor;
        GET_EVENTS = getEvents;
        PARK_ON_FD = park;
        POLLIN = pollin;
        AVAILABLE = available;
    }

    private static MethodHandle handle(Class<?> owner, String name, Class<?>... parameters)
            throws ReflectiveOperationException {
        Method m = owner.getDeclaredMethod(name, parameters);
        m.setAccessible(true);
        return MethodHandles.lookup().unreflect(m);
    }

    private static final class Holder {
        static final ReadPoller POLLER = start();

        private static ReadPoller start() {
            try {
                ReadPoller poller = new ReadPoller();
                Thread.ofVirtual().name("socketserver-read-poller").start(poller::loop);
                return poller;
            } catch (IOException | RuntimeException e) {
                System.getLogger(ReadPoller.class.getName()).log(System.Logger.Level.WARNING,
                        "no edge-triggered read poller (" + e + "); virtual-thread reads wait the JDK's way");
                return null;
            }
        }
    }

    /** The poller of this JVM, started on first use; null when it cannot run. */
    static ReadPoller get() {
        return AVAILABLE ? Holder.POLLER : null;
    }

    private final int epfd;
    private final long events;
    private volatile boolean stopped;
    /** The registered sockets by descriptor (read lock-free by the poller; set and cleared under {@code this}). */
    private volatile AtomicReferenceArray<ChannelStreamSocket> sockets = new AtomicReferenceArray<>(1024);

    private ReadPoller() throws IOException {
        try {
            epfd = (int) CREATE.invokeExact();
            events = (long) ALLOCATE.invokeExact(MAX_EVENTS);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Registers {@code socket}'s descriptor {@code fd} (edge-triggered, for incoming bytes and
     * the peer's close) until {@link #unregister}; false when the kernel refused.
     */
    boolean register(ChannelStreamSocket socket, int fd) {
        synchronized (this) {
            AtomicReferenceArray<ChannelStreamSocket> s = sockets;
            if (fd >= s.length()) {
                AtomicReferenceArray<ChannelStreamSocket> bigger =
                        new AtomicReferenceArray<>(Math.max(fd + 1, s.length() * 2));
                for (int i = 0; i < s.length(); i++) {
                    bigger.set(i, s.get(i));
                }
                sockets = s = bigger;
            }
            s.set(fd, socket);
        }
        if (ctl(EPOLL_CTL_ADD, fd, EPOLLIN | EPOLLPRI | EPOLLRDHUP | EPOLLET) != 0) {
            clear(socket, fd);
            return false;
        }
        return true;
    }

    /**
     * Forgets {@code socket}, registered as {@code fd}, as it closes. Its registration leaves the
     * set with the descriptor's close (the kernel's rule): an {@code EPOLL_CTL_DEL} here could
     * race with a close by the JDK (an interrupted read closes the channel) and take out a new
     * connection that got the same number.
     */
    void unregister(ChannelStreamSocket socket, int fd) {
        clear(socket, fd);
    }

    private synchronized void clear(ChannelStreamSocket socket, int fd) {
        sockets.compareAndSet(fd, socket, null);
    }

    /** Whether the poller has stopped (it failed): waiters then wait the JDK's way. */
    boolean stopped() {
        return stopped;
    }

    private int ctl(int op, int fd, int mask) {
        try {
            return (int) CTL.invokeExact(epfd, op, fd, mask);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Polls without blocking while there are events, yielding in between; parks on the set's descriptor when idle. */
    private void loop() {
        BooleanSupplier open = () -> true;
        try {
            while (true) {
                int n = (int) WAIT.invokeExact(epfd, events, MAX_EVENTS, 0);
                AtomicReferenceArray<ChannelStreamSocket> s = sockets;
                for (int i = 0; i < n; i++) {
                    long event = (long) GET_EVENT.invokeExact(events, i);
                    int fd = (int) GET_DESCRIPTOR.invokeExact(event);
                    ChannelStreamSocket socket = fd < s.length() ? s.get(fd) : null;
                    if (socket != null) {
                        socket.readable(((int) GET_EVENTS.invokeExact(event) & HANG_UP) != 0);
                    }
                }
                if (n == 0) {
                    PARK_ON_FD.invokeExact(epfd, POLLIN, 0L, open);
                } else {
                    Thread.yield();
                }
            }
        } catch (Throwable t) {
            // Not expected (epoll_wait fails only on a bad set): every waiter is woken and waits
            // the JDK's way from now on, so none is left parked for events that will not come.
            stopped = true;
            AtomicReferenceArray<ChannelStreamSocket> s = sockets;
            for (int i = 0; i < s.length(); i++) {
                ChannelStreamSocket socket = s.get(i);
                if (socket != null) {
                    socket.readable(true);
                }
            }
            System.getLogger(ReadPoller.class.getName()).log(System.Logger.Level.ERROR,
                    "the edge-triggered read poller stopped; reads wait the JDK's way", t);
        }
    }
}
