package io.github.pyconcurrent.multiprocessing;

import io.github.pyconcurrent.multiprocessing.Channel.Frame;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The parent's side of one child JVM: the OS process, its control {@link Channel} once the child
 * has connected, and how it ended in Python's exit code convention.
 *
 * <h2>Exact exit codes</h2>
 * The JDK reports a death by signal N as status 128+N, which cannot be told from
 * {@code System.exit(128+N)}, and a JVM that gets SIGTERM runs its shutdown hooks and exits 143.
 * So the child says how it ends over the channel before it goes: {@code SIGNALED n} from its
 * handler for SIGTERM/SIGINT/SIGHUP, {@code EXITING} from a shutdown hook (any other orderly
 * exit, whose status is then real). The code is decided once the channel has reached its end and
 * the OS process has been reaped:
 * <pre>
 *   SIGNALED n received      -> -n
 *   EXITING received         -> the status (System.exit(137) is 137)
 *   neither (SIGKILL, crash) -> status > 128 ? -(status - 128) : status
 * </pre>
 *
 * <p>Frames before a listener is set are held, so a task's answer is never lost to a race
 * between handing a spare its task and its first reply.
 */
final class ChildProcess {
    private static final System.Logger LOG = System.getLogger(ChildProcess.class.getName());

    /** Receives a child's frames (on its reader thread) and, once, its end. */
    interface Listener {
        void onFrame(Frame frame);

        void onExit(ChildProcess child, int exitCode);
    }

    /** A shell's and the JDK's status for a death by signal N: 128 + N. */
    private static final int SIGNAL_STATUS_BASE = 128;
    /** The highest signal number on Linux (SIGRTMAX). */
    private static final int MAX_SIGNAL = 64;

    final java.lang.Process os;
    final long pid;
    /** The child's stdin: its lifeline; the child exits when it reads end of file. */
    private final OutputStream lifeline;
    /** Python's exit code, completed once the channel ended and the process was reaped. */
    final CompletableFuture<Integer> exit = new CompletableFuture<>();
    /**
     * Completed when the child has connected and passed the handshake; failed, with what
     * {@code startFailure} makes of its exit status, when it ended first (it could not start).
     */
    final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final java.util.function.IntFunction<RuntimeException> startFailure;

    // Guarded by this: the channel once attached, frames queued before it, the listener.
    private Channel channel;
    private List<Frame> unsent = new ArrayList<>();
    private Listener listener;
    private List<Frame> undelivered = new ArrayList<>();
    /** Set when the channel is attached or will never be (the process ended first). */
    private boolean attachSettled;

    private volatile boolean exiting;
    private volatile int signal;
    /** Completed when a forkserver spare says it finished its warm-up ({@code WARM}), with the steps it took ({@link Warmup#CHRONICLE_STEP}). */
    final CompletableFuture<Integer> warmed = new CompletableFuture<>();
    /** The listener's onExit runs once, whether setListener or finish sees the end first. */
    private final java.util.concurrent.atomic.AtomicBoolean exitDelivered = new java.util.concurrent.atomic.AtomicBoolean();

    /** The secrets this child opens its control connection with; sent on its lifeline pipe. */
    final Channel.Proofs proofs = Channel.Proofs.random();

    ChildProcess(java.lang.Process os, OutputStream lifeline, java.util.function.IntFunction<RuntimeException> startFailure) {
        this.os = os;
        this.pid = os.pid();
        this.lifeline = lifeline;
        this.startFailure = startFailure;
        os.onExit().thenRun(this::osExited);
    }

    /**
     * Waits until the child has connected; throws what {@link #connected} failed with if it ended
     * before (a child JVM that could not start: a wrong class path, a bad JVM option).
     */
    void awaitConnected() {
        try {
            connected.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Queues or sends a frame; the child reads frames in order. */
    void send(byte type, long id, byte[] payload) {
        Channel c;
        synchronized (this) {
            c = channel;
            if (c == null) {
                unsent.add(new Frame(type, id, payload));
                return;
            }
        }
        try {
            c.send(type, id, payload);
        } catch (UncheckedIOException e) {
            // The child is gone; its end is reported through the reader and onExit.
        }
    }

    /** Sends frames in order with as few writes as they fit in. */
    void sendAll(List<Frame> frames) {
        Channel c;
        synchronized (this) {
            c = channel;
            if (c == null) {
                unsent.addAll(frames);
                return;
            }
        }
        try {
            for (Frame f : frames) {
                c.write(f.type(), f.id(), f.payload());
            }
            c.flush();
        } catch (UncheckedIOException e) {
            // The child is gone; its end is reported through the reader and onExit.
        }
    }

    void setListener(Listener l) {
        List<Frame> held;
        synchronized (this) {
            listener = l;
            held = undelivered;
            undelivered = null;
        }
        if (held != null) {
            held.forEach(l::onFrame);
        }
        if (exit.isDone() && exitDelivered.compareAndSet(false, true)) {
            l.onExit(this, exit.join());
        }
    }

    /** Whether this child, a forkserver spare, has finished its warm-up ({@link Warmup}). */
    boolean isWarm() {
        return warmed.isDone();
    }

    boolean isAlive() {
        return !exit.isDone();
    }

    /** SIGTERM, if the process has not been reaped. */
    void terminate() {
        signal(Posix.SIGTERM);
    }

    /** SIGKILL, likewise. */
    void kill() {
        signal(Posix.SIGKILL);
    }

    /**
     * Not {@code java.lang.Process.destroy()}: it also closes the child's stdin, which is the
     * child's lifeline, so the child would exit by its orphan watcher instead of by the signal.
     */
    private void signal(int sig) {
        if (os.isAlive()) { // not reaped, so the pid is still this child's
            Posix.signal(pid, sig);
        }
    }

    /**
     * Called by the acceptor with the child's authenticated channel; starts its reader, a daemon
     * (what keeps this JVM alive for a non-daemon child is {@link Process}'s join thread).
     */
    void attach(Channel c) {
        List<Frame> queued;
        synchronized (this) {
            if (attachSettled) {
                c.close();
                return;
            }
            attachSettled = true;
            channel = c;
            queued = unsent;
            unsent = null;
        }
        connected.complete(null);
        try {
            for (Frame f : queued) {
                c.write(f.type(), f.id(), f.payload());
            }
            c.flush();
        } catch (UncheckedIOException e) {
            // the child is already gone
        }
        Thread.ofPlatform().daemon().name("pyconcurrent-child-" + pid).start(this::readLoop);
    }

    private void readLoop() {
        Channel c;
        synchronized (this) {
            c = channel;
        }
        try {
            Frame f;
            while ((f = c.receive()) != null) {
                switch (f.type()) {
                    case Frame.EXITING -> exiting = true;
                    case Frame.SIGNALED -> signal = (int) f.id();
                    case Frame.WARM -> warmed.complete((int) f.id());
                    default -> deliver(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "control connection of child " + pid + " ended abnormally", e);
        } finally {
            c.close();
        }
        try {
            os.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        finish();
    }

    private void deliver(Frame f) {
        Listener l;
        synchronized (this) {
            l = listener;
            if (l == null) {
                undelivered.add(f);
                return;
            }
        }
        l.onFrame(f);
    }

    private void osExited() {
        synchronized (this) {
            if (attachSettled) {
                return; // the reader finishes, after draining the channel
            }
            attachSettled = true;
        }
        connected.completeExceptionally(startFailure.apply(os.exitValue()));
        finish();
    }

    private void finish() {
        int status = os.exitValue();
        int code;
        if (signal != 0) {
            code = -signal;
        } else if (exiting) {
            code = status;
        } else {
            code = status > SIGNAL_STATUS_BASE && status <= SIGNAL_STATUS_BASE + MAX_SIGNAL ? -(status - SIGNAL_STATUS_BASE) : status;
        }
        try {
            lifeline.close();
        } catch (IOException e) {
            // the pipe's reader is gone with the process
        }
        if (exit.complete(code)) {
            Listener l;
            synchronized (this) {
                l = listener;
            }
            if (l != null && exitDelivered.compareAndSet(false, true)) {
                l.onExit(this, code);
            }
        }
    }

    @Override
    public String toString() {
        return "child JVM " + pid;
    }
}
