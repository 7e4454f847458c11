package io.github.pyconcurrent.socketserver;

import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Python's {@code ThreadingMixIn}: a thread per request. Threads that {@code serverClose()} must
 * wait for (with {@code blockOnClose}: the non-daemon platform ones, and every virtual one) are
 * tracked until they end, and only until then (bpo-37193: finished threads are not kept).
 */
final class ThreadDispatch implements Dispatch {
    private static final AtomicLong COUNTER = new AtomicLong();
    private final boolean virtual;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();

    ThreadDispatch(boolean virtual) {
        this.virtual = virtual;
    }

    @Override
    public void processRequest(BaseServer server, Object request, SocketAddress clientAddress) {
        String name = "socketserver-request-" + COUNTER.incrementAndGet();
        Thread.Builder builder = virtual ? Thread.ofVirtual().name(name)
                : Thread.ofPlatform().name(name).daemon(server.daemonThreads());
        boolean track = server.blockOnClose() && (virtual || !server.daemonThreads());
        Thread t = builder.unstarted(() -> {
            try {
                Dispatch.serveToEnd(server, request, clientAddress);
            } finally {
                if (track) {
                    running.remove(Thread.currentThread());
                }
            }
        });
        if (track) {
            running.add(t);
        }
        try {
            t.start();
        } catch (RuntimeException | OutOfMemoryError e) {
            running.remove(t);
            throw e;
        }
    }

    @Override
    public void serverClose(BaseServer server) {
        if (!server.blockOnClose()) {
            return;
        }
        List<Thread> threads;
        while (!(threads = new ArrayList<>(running)).isEmpty()) {
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedInterruptedException(e);
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
