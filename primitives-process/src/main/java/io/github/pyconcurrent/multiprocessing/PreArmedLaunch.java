package io.github.pyconcurrent.multiprocessing;

import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ties a child JVM to its parent before the JVM starts, so that the child needs no native call
 * (and so no JNA) on its way to its target. The child's command runs under two wrappers that
 * {@code exec} each other and then {@code java}, in the same process:
 * <ol>
 *   <li>{@code setpriv --pdeathsig KILL} (util-linux 2.33+) arms {@code PR_SET_PDEATHSIG}, which
 *       survives {@code execve} of a program that is not set-user-ID; the JVM's launcher thread,
 *       which lives until the JVM ends, keeps it;</li>
 *   <li>{@code /bin/sh -c 'exec 3<&0 0</dev/null; exec "$@"'} moves the lifeline pipe (the
 *       child's stdin, held only by the parent) to fd {@value #LIFELINE_FD} and puts
 *       {@code /dev/null} on fd 0, as Python's children get.</li>
 * </ol>
 * The child learns this from its last argument, {@value #ARGUMENT}: it then reads its header from
 * fd {@value #LIFELINE_FD} and watches that pipe with plain Java I/O ({@link Lifeline}).
 *
 * <p>Why: arming the signal and moving the pipe from Java takes libc, through JNA, whose first use
 * in a JVM costs more than everything else a spawned child does before its target (its classes,
 * its native dispatch library, the binding of each method; with {@code -Xlog:class+load} a spawn
 * child loaded ~550 classes while its main thread waited for the arming). The two {@code execve}
 * cost about a millisecond.
 *
 * <p>Where {@code setpriv} or {@code /bin/sh} is missing, or refuses {@code --pdeathsig} (checked
 * once per JVM), or the system property {@value #PROPERTY} is {@code false}, children arm
 * themselves through JNA as before ({@link Lifeline#watch(long, int)}).
 */
final class PreArmedLaunch {
    /** {@code false} turns the wrappers off: every child then arms itself through JNA. */
    static final String PROPERTY = "pyconcurrent.child.setpriv";
    /** The child's last argument when it was started under the wrappers. */
    static final String ARGUMENT = "pre-armed";
    /** Where the wrappers put the lifeline pipe. */
    static final int LIFELINE_FD = 3;

    private static final System.Logger LOG = System.getLogger(PreArmedLaunch.class.getName());
    private static final String SHELL = "/bin/sh";
    /** Moves stdin to fd 3, puts /dev/null on fd 0, then becomes the rest of its arguments. */
    private static final String MOVE_STDIN = "exec 3<&0 0</dev/null; exec \"$@\"";
    private static final List<Path> SETPRIV = List.of(Path.of("/usr/bin/setpriv"), Path.of("/bin/setpriv"));

    /** The setpriv found to accept {@code --pdeathsig}; null when children arm themselves. */
    private static final Path USABLE = find();

    private PreArmedLaunch() {}

    /** Whether children are started under the wrappers. */
    static boolean available() {
        return USABLE != null;
    }

    /**
     * {@code javaCommand} (a {@code java ... ChildMain <parent pid>} command) under the wrappers,
     * with {@code deathSignal} ({@link Posix#SIGKILL} or {@link Posix#SIGTERM}) as its parent-death
     * signal; {@code javaCommand} unchanged when they are not {@link #available()}.
     */
    static List<String> wrap(List<String> javaCommand, int deathSignal) {
        if (USABLE == null) {
            return javaCommand;
        }
        List<String> c = new ArrayList<>(javaCommand.size() + 8);
        c.add(USABLE.toString());
        c.add("--pdeathsig");
        c.add(deathSignal == Posix.SIGTERM ? "TERM" : "KILL");
        c.add(SHELL);
        c.add("-c");
        c.add(MOVE_STDIN);
        c.add("pyconcurrent-child"); // $0 of the shell
        c.addAll(javaCommand);
        c.add(ARGUMENT);
        return List.copyOf(c);
    }

    private static Path find() {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true")) || !Files.isExecutable(Path.of(SHELL))) {
            return null;
        }
        for (Path setpriv : SETPRIV) {
            if (Files.isExecutable(setpriv) && accepts(setpriv)) {
                return setpriv;
            }
        }
        LOG.log(Level.DEBUG, "no setpriv with --pdeathsig: child JVMs arm their parent-death signal through JNA");
        return null;
    }

    /** Whether {@code setpriv} runs {@code /bin/sh -c :} with {@code --pdeathsig KILL} (older ones refuse the option). */
    private static boolean accepts(Path setpriv) {
        try {
            java.lang.Process p = new ProcessBuilder(setpriv.toString(), "--pdeathsig", "KILL", SHELL, "-c", ":")
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
