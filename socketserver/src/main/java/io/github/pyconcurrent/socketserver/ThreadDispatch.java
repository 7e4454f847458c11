package io.github.pyconcurrent.socketserver;

import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Python's {@code ThreadingMixIn}: a thread per request (platform: the toolkit's
 * {@link io.github.pyconcurrent.threading.Thread}, which reuses parked platform threads; virtual:
 * a JDK virtual thread). Threads that {@code serverClose()} must
 * wait for (with {@code blockOnClose}: the non-daemon platform ones, and every virtual one) are
 * tracked until they end, and only until then (bpo-37193: finished threads are not kept).
 */
final class ThreadDispatch implements Dispatch {
    private static final AtomicLong COUNTER = new AtomicLong();
    private final boolean virtual;
    /** Java threads (virtual) or toolkit Threads (platform) that serverClose must wait for. */
    private final Set<Object> running = ConcurrentHashMap.newKeySet();

    ThreadDispatch(boolean virtual) {
        this.virtual = virtual;
    }

    @Override
    public void processRequest(BaseServer server, Object request, SocketAddress clientAddress) {
        String name = "socketserver-request-" + COUNTER.incrementAndGet();
        boolean track = server.blockOnClose() && (virtual || !server.daemonThreads());
        Served serve = new Served(server, request, clientAddress, track);
        if (virtual) {
            java.lang.Thread t = java.lang.Thread.ofVirtual().name(name).unstarted(serve);
            serve.thread = t;
            startTracked(t, t::start, track);
        } else {
            // The toolkit's Thread: a platform thread parked after an earlier request is reused
            // (io.github.pyconcurrent.threading.Thread), which is most of a connection's cost.
            io.github.pyconcurrent.threading.Thread t = new io.github.pyconcurrent.threading.Thread(name, serve,
                    server.daemonThreads());
            serve.thread = t;
            startTracked(t, t::start, track);
        }
    }

    /**
     * One request's thread body, which knows its thread: one object where a lambda and an array
     * holding its thread were two, and no frame under a waiting handler but its own (a waiting
     * virtual thread keeps every frame of its stack).
     */
    private final class Served extends ServedRequest {
        private final boolean track;
        /** Set before the thread starts. */
        private Object thread;

        Served(BaseServer server, Object request, SocketAddress clientAddress, boolean track) {
            super(server, request, clientAddress);
            this.track = track;
        }

        @Override
        void done() {
            if (track) {
                running.remove(thread);
            }
        }
    }

    private void startTracked(Object thread, Runnable start, boolean track) {
        if (track) {
            running.add(thread);
        }
        try {
            start.run();
        } catch (RuntimeException | OutOfMemoryError e) {
            running.remove(thread);
            throw e;
        }
    }

    @Override
    public void serverClose(BaseServer server) {
        if (!server.blockOnClose()) {
            return;
        }
        List<Object> threads;
        while (!(threads = new ArrayList<>(running)).isEmpty()) {
            for (Object t : threads) {
                if (t instanceof io.github.pyconcurrent.threading.Thread own) {
                    own.join();
                } else {
                    try {
                        ((java.lang.Thread) t).join();
                    } catch (InterruptedException e) {
                        java.lang.Thread.currentThread().interrupt();
                        throw new UncheckedInterruptedException(e);
                    }
                }
                running.remove(t);
            }
        }
    }

    /** Threads still tracked (for tests). */
    int tracked() {
        return running.size();
    }
}
