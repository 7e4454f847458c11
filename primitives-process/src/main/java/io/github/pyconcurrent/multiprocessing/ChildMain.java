package io.github.pyconcurrent.multiprocessing;

import io.github.pyconcurrent.multiprocessing.Channel.Frame;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The main class of every child JVM the toolkit starts. Not for users: {@link ChildLauncher}
 * starts it with the parent's pid as its one argument and the rest on its stdin.
 *
 * <p>In order: read the socket path, the connection's secrets and mode from the lifeline pipe (stdin, or fd 3
 * under {@link PreArmedLaunch}'s wrappers, when the last argument says so); start the
 * {@link Lifeline} (on its own thread: unless the wrappers did, arm the parent-death signal,
 * check the parent is still the one expected and move stdin off fd 0; then watch the pipe for end
 * of file); connect;
 * say how this JVM will end ({@link ChildProcess}'s exit code rules); then run what the parent
 * sends first: a {@link Process} ({@code RUN}) or a pool worker's loop ({@code WORKER}). A spare
 * loads the toolkit's classes while it waits ({@link Warmup}); a training child loads them and
 * exits at once, dumping them for the {@link ClassDataCache}. It ends through {@link ChildExit}.
 */
public final class ChildMain {
    private static volatile Channel channel;

    private ChildMain() {}

    /**
     * The child JVM's entry point; the parent's launcher starts it, not users.
     *
     * @param args the parent's pid, then what the launcher passes (see the class comment)
     * @throws Exception if the child cannot start: the parent sees the child's exit status and
     *     stderr
     */
    public static void main(String[] args) throws Exception {
        long parentPid = Long.parseLong(args[0]);
        // Under PreArmedLaunch's wrappers the header and lifeline are on fd 3 and fd 0 is /dev/null.
        boolean preArmed = args[args.length - 1].equals(PreArmedLaunch.ARGUMENT);
        FileChannel lifeline = null;
        InputStream stdin = System.in;
        if (preArmed) {
            try {
                lifeline = Lifeline.preArmedPipe();
            } catch (ReflectiveOperationException e) {
                System.err.println("pyconcurrent: a child JVM could not open its lifeline on fd " + PreArmedLaunch.LIFELINE_FD + ": " + e);
                Runtime.getRuntime().halt(1);
                return;
            }
            stdin = Channels.newInputStream(lifeline); // unbuffered: the watch reads the rest
        }
        System.setIn(new ByteArrayInputStream(new byte[0]));
        DataInputStream header = new DataInputStream(stdin);
        Path socket;
        Channel.Proofs proofs;
        ChildLauncher.Mode mode;
        boolean preloadChronicle;
        String mainClass;
        try {
            socket = Path.of(header.readUTF());
            proofs = Channel.Proofs.readFrom(header);
            mode = ChildLauncher.Mode.values()[header.readByte()];
            preloadChronicle = header.readBoolean();
            mainClass = mode == ChildLauncher.Mode.TRAIN ? header.readUTF() : "";
        } catch (java.io.IOException e) {
            Runtime.getRuntime().halt(1); // the parent died before it said who it is: orphaned
            return;
        }
        // Arms the parent-death signal while this thread connects. A training child is killed
        // politely, so that its hooks remove the shared memory its warm-up made.
        int deathSignal = mode == ChildLauncher.Mode.TRAIN ? Posix.SIGTERM : Posix.SIGKILL;
        if (preArmed) {
            Lifeline.watchPreArmed(lifeline, deathSignal);
        } else {
            Lifeline.watch(parentPid, deathSignal);
        }
        ChildExit.install();

        Channel c;
        try {
            c = Channel.connect(socket, ProcessHandle.current().pid(), proofs);
        } catch (java.io.IOException e) {
            // The parent is exiting (its control socket is already gone): nobody to serve.
            Runtime.getRuntime().halt(1);
            return;
        }
        channel = c;
        Multiprocessing.initChild(parentPid);
        c.send(Frame.HELLO, ProcessHandle.current().pid());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> report(Frame.EXITING, 0), "pyconcurrent-exit-report"));
        for (String name : new String[] {"TERM", "INT", "HUP"}) {
            // Named in full, not imported: javadoc resolves imports (and warns of sun.misc), not method bodies.
            sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                report(Frame.SIGNALED, sig.getNumber());
                ChildExit.exit(128 + sig.getNumber()); // what the JVM's own handler does
            });
        }
        if (mode == ChildLauncher.Mode.SPARE) {
            Warmup.start(preloadChronicle);
        } else if (mode == ChildLauncher.Mode.TRAIN) {
            // A task's classes, then the JVM's own exit (not ChildExit's _exit), which dumps them
            // into the ClassDataCache's archive.
            Warmup.train(preloadChronicle);
            // And the rest of a started child's path, so that no class of it is missing from the
            // archive: one missing class makes the JVM open every jar of the class path before
            // the one that has it (-Xlog:class+load of a spawn child: 125 ms between asking for
            // Channel$Frame and loading it from the 26th jar, at load ~9).
            runProcess(new Frame(Frame.RUN, 0, Serial.toBytes(new Process("warm-up", () -> { }))).payload());
            // The parent's main class, loaded, not initialized (none of the user's code runs): the
            // capturing class of most targets (see ClassDataCache.mainClass()).
            if (!mainClass.isEmpty()) {
                try {
                    Class.forName(mainClass, false, ChildMain.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    // not on this class path, or not loadable alone: the archive goes without it
                }
            }
            System.exit(0);
        }

        Frame command = c.receive();
        if (command == null) {
            ChildExit.exit(0); // the parent let this spare go
        }
        Warmup.stop();
        Lifeline.awaitArmed(); // a target finds fd 0 free and the parent-death signal armed
        int status = switch (command.type()) {
            case Frame.RUN -> runProcess(command.payload());
            case Frame.WORKER -> Worker.run(c, command.payload());
            default -> throw new IllegalStateException("unexpected first frame " + command.type());
        };
        ChildExit.exit(status);
    }

    /** Python's {@code Process._bootstrap}: run, print an uncaught exception, wait for the other non-daemon threads. */
    private static int runProcess(byte[] payload) {
        Process process;
        try {
            process = Serial.read(payload);
        } catch (RuntimeException e) {
            System.err.println("Process could not be loaded in the child JVM:");
            e.printStackTrace();
            return 1;
        }
        Multiprocessing.setCurrentProcess(process);
        int status = 0;
        try {
            process.run();
        } catch (Throwable t) {
            System.err.println("Process " + process.name() + ":");
            t.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.err.flush();
        joinNonDaemonThreads();
        return status;
    }

    static void joinNonDaemonThreads() {
        Thread me = Thread.currentThread();
        boolean again = true;
        while (again) {
            again = false;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t != me && !t.isDaemon() && t.isAlive() && !t.getName().equals("DestroyJavaVM")) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    again = true;
                }
            }
        }
    }

    /** Tells the parent {@code type}, if connected and it is still there. */
    static void report(byte type, long id) {
        Channel c = channel;
        if (c != null) {
            try {
                c.send(type, id);
            } catch (RuntimeException e) {
                // the parent is gone: nobody to tell
            }
        }
    }
}
