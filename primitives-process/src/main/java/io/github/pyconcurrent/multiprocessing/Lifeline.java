package io.github.pyconcurrent.multiprocessing;

import io.github.pyconcurrent.internal.LazyLogger;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CountDownLatch;

/**
 * A child JVM's side of its ties to the parent (see {@link ChildLauncher}, "No orphans"): the
 * parent-death signal and the watch on the lifeline pipe, both on one long-lived daemon thread,
 * {@value #THREAD_NAME}.
 *
 * <h2>Why a thread of its own, and why it must be let go at exit</h2>
 * <ul>
 *   <li>Start-up: arming the signal and moving the pipe off fd 0 need libc, through JNA, whose
 *       first use in a JVM costs more than everything else a child does before its target. So
 *       {@link PreArmedLaunch} does both before the JVM starts, and the thread only watches
 *       ({@link #watchPreArmed}). Where it cannot, the thread does both while the main thread
 *       connects and reads its command; the main thread waits for {@link #awaitArmed()} only
 *       before it runs a target, which must find fd 0 free.</li>
 *   <li>{@code PR_SET_PDEATHSIG} is a property of the calling thread, and the kernel looks at
 *       every thread of an orphaned process: armed on a thread that lives until exit, it holds for
 *       the whole life of the JVM.</li>
 *   <li>Exit: HotSpot's exit waits up to 300 ms for threads still running native code (a blocking
 *       {@code read} counts), in 10 ms steps ({@code VM_Exit::wait_for_threads_in_native_to_block}),
 *       which made every child's {@code join()} return ~310 ms after its target ended (seen in
 *       {@code strace -f -tt}: the hook's write, then {@code exit_group} 316–340 ms later). So
 *       the pipe is read through an interruptible {@link FileChannel}, and {@link #release()} —
 *       called at exit — closes it, which signals the reading thread out of its system call and
 *       returns once it has left.</li>
 * </ul>
 */
final class Lifeline {
    static final String THREAD_NAME = "pyconcurrent-parent-watch";
    private static final System.Logger LOG = LazyLogger.of(Lifeline.class);

    private static final CountDownLatch ARMED = new CountDownLatch(1);
    /** The lifeline pipe, once moved off fd 0; closed by {@link #release()}. */
    private static volatile FileChannel pipe;
    /** Set at exit: the pipe's end is then ours, not the parent's death. */
    private static volatile boolean released;

    private Lifeline() {}

    /** Starts the watch: arm the parent-death signal, move the pipe off fd 0, wait for its end. */
    static void watch(long parentPid) {
        watch(parentPid, Posix.SIGKILL);
    }

    /**
     * As {@link #watch(long)}, with {@code deathSignal} as the parent-death signal: SIGTERM for a
     * child that must clean up after itself when orphaned (the class-data training child, whose
     * shared-memory files its shutdown hooks remove); SIGKILL for every child that runs user code.
     */
    static void watch(long parentPid, int deathSignal) {
        Thread.ofPlatform().daemon().name(THREAD_NAME).start(() -> run(parentPid, deathSignal));
    }

    /**
     * Starts the watch of a child that {@link PreArmedLaunch} started: its parent-death signal is
     * armed and fd 0 is /dev/null already, so this takes no native call. {@code lifeline} is the
     * pipe on fd {@value PreArmedLaunch#LIFELINE_FD}, its header already read. A parent that died
     * before the signal was armed is seen here as the pipe's end.
     */
    static void watchPreArmed(FileChannel lifeline, int deathSignal) {
        pipe = lifeline;
        ARMED.countDown();
        Thread.ofPlatform().daemon().name(THREAD_NAME).start(() -> watchUntilEnd(deathSignal));
    }

    /** Opens the pipe a {@link PreArmedLaunch} child finds on fd {@value PreArmedLaunch#LIFELINE_FD}. */
    static FileChannel preArmedPipe() throws ReflectiveOperationException {
        return channelOf(PreArmedLaunch.LIFELINE_FD);
    }

    /** Blocks until the parent-death signal is armed and fd 0 is /dev/null (or arming failed). */
    static void awaitArmed() {
        boolean interrupted = false;
        while (true) {
            try {
                ARMED.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** At exit: stops the watch and returns once its thread is out of native code. */
    static void release() {
        released = true;
        FileChannel p = pipe;
        if (p != null) {
            try {
                p.close();
            } catch (IOException e) {
                // closing a pipe's read end does not fail in a way that matters at exit
            }
        }
    }

    private static void run(long parentPid, int deathSignal) {
        int fd;
        try {
            Posix.setParentDeathSignal(deathSignal);
            if (Posix.getppid() != parentPid) {
                Runtime.getRuntime().halt(1); // the parent died before the signal was armed
            }
            // The lifeline leaves fd 0 (now /dev/null, as Python's children's stdin), so that fd 0
            // is free for a forking socketserver's child to take its client's socket from.
            fd = Posix.moveStdinAway();
            pipe = channelOf(fd);
        } catch (Throwable t) {
            // Without libc there is no parent-death signal and no pipe to watch: a child that
            // cannot guarantee it dies with its parent must not run.
            System.err.println("pyconcurrent: a child JVM could not tie itself to its parent: " + t);
            Runtime.getRuntime().halt(1);
            return;
        } finally {
            ARMED.countDown();
        }
        watchUntilEnd(deathSignal);
    }

    /** Reads the lifeline until its end, then ends this JVM as {@code deathSignal} would, unless the end is ours. */
    private static void watchUntilEnd(int deathSignal) {
        ByteBuffer sink = ByteBuffer.allocate(64);
        try {
            while (pipe.read(sink.clear()) >= 0) {
                // nothing is ever written: only the end of the pipe means anything
            }
        } catch (IOException e) {
            if (released) {
                return; // closed at exit
            }
            LOG.log(Level.DEBUG, "the lifeline pipe failed; taking it as the parent's end", e);
        }
        if (!released) {
            if (deathSignal == Posix.SIGKILL) {
                Runtime.getRuntime().halt(1); // orphaned
            } else {
                System.exit(1); // orphaned, but allowed its hooks, as its death signal is
            }
        }
    }

    /**
     * An interruptible channel on {@code fd}, a pipe's read end: {@code /proc/self/fd/<fd>} opened
     * again (for a pipe, a second descriptor of the same pipe; {@code fd} stays open and unused).
     * Why not the JDK's own {@code sun.nio.ch.IOUtil.newFD}: reaching it takes core reflection,
     * whose first call in a JVM spins method-handle classes (~10 ms of a spawn child's start
     * before its target; {@code -Xlog:class+load} showed three {@code LambdaForm$MH} classes
     * defined for it). Where {@code /proc} is not mounted, that reflection is the fallback.
     */
    private static FileChannel channelOf(int fd) throws ReflectiveOperationException {
        try {
            // concat, not +: a string concatenation's first use spins a method-handle class too
            return FileChannel.open(java.nio.file.Path.of("/proc/self/fd/".concat(Integer.toString(fd))),
                    java.nio.file.StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.DEBUG, "no /proc/self/fd; the lifeline's descriptor is reached by reflection", e);
        }
        Method newFd = Class.forName("sun.nio.ch.IOUtil").getDeclaredMethod("newFD", int.class);
        newFd.setAccessible(true);
        return new FileInputStream((FileDescriptor) newFd.invoke(null, fd)).getChannel();
    }
}
