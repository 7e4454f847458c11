package io.github.pyconcurrent.multiprocessing;

import io.github.pyconcurrent.runtime.JvmFlags;
import io.github.pyconcurrent.shared.internal.ProcessIdentity;
import io.github.pyconcurrent.shared.internal.CLibrary;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Starts child JVMs: the one place in this toolkit's main code that does. Owns what every child
 * needs from its parent: the control socket, the secrets that open it, and the spawner thread.
 *
 * <h2>No orphans</h2>
 * A child dies within a second of its parent, even when the parent is SIGKILLed, by two means:
 * <ol>
 *   <li>{@code PR_SET_PDEATHSIG}: SIGKILL when the thread that forked the child exits. It is armed
 *       before the JVM starts, by {@code setpriv --pdeathsig} ({@link PreArmedLaunch}); where that
 *       is not available, by the child itself through JNA, which then compares {@code getppid()}
 *       with the parent pid it was given (the parent may have died before the request). The
 *       kernel ties the signal to the forking <em>thread</em>, so every child is forked from one
 *       long-lived platform thread, the spawner, which lives as long as the JVM (a child forked
 *       from a virtual thread dies when its carrier retires; one forked from a short-lived thread
 *       dies with that thread).</li>
 *   <li>Its stdin: a pipe only the parent holds. The child reads its header there; the pipe is
 *       then on another descriptor and {@code /dev/null} on fd 0 (as Python's children get), so
 *       fd 0 is free for other uses (a forking socketserver's child takes its client's socket
 *       there). A thread watches the pipe and ends the child at end of file (measured 8–9 ms
 *       after the parent's SIGKILL), which also covers a parent that died before the signal was
 *       armed; the child's {@code System.in} is empty.</li>
 * </ol>
 *
 * <h2>The channel</h2>
 * A Unix domain socket {@code ctl} in a fresh directory of mode 0700 under {@code java.io.tmpdir},
 * named {@code pyconc-<pid>-<start ticks>-<random>}, removed at exit; a killed parent's directory
 * is swept by the next launcher. The socket path and two secrets made for that child alone
 * ({@link Channel.Proofs}) reach the child on its stdin, never on a command line. Each connection
 * must name a pid this launcher started and is waiting for, and show that child's secret, else it
 * is dropped; the parent answers with the other secret, so the child knows its parent too.
 *
 * <h2>The child's command line</h2>
 * The running {@code java}, the toolkit's {@link JvmFlags#flags()}, start-up tuning
 * ({@value #CHILD_TUNING_DEFAULT}, {@value #CHILD_TUNING_ARCHIVE_IN_PLACE} and {@value #CHILD_TUNING_TRIM}, replaced by the
 * system property {@value #CHILD_TUNING_PROPERTY}),
 * the options this JVM was started with that a child needs to load the same classes the same way
 * ({@code -D}, {@code -ea}/{@code -da}, {@code --add-opens}/{@code --add-exports}/
 * {@code --add-modules}/{@code --enable-native-access}), the extra options of the system property
 * {@value #CHILD_OPTIONS_PROPERTY} (space-separated), this JVM's {@code SelectorProvider} class
 * when it is the platform's own ({@link #selectorProviderOption()}), the options of the per-user caches once their
 * files are in place ({@link JnaDispatchLibrary}, {@link ClassDataCache}), then this JVM's class path. stdout and stderr are inherited, as
 * in Python.
 */
final class ChildLauncher {
    private static final System.Logger LOG = System.getLogger(ChildLauncher.class.getName());

    static final String CHILD_TUNING_PROPERTY = "pyconcurrent.child.tuning";
    /**
     * Options for small, short-lived JVMs, as measured (RSS of an idle pool worker after 200
     * tasks, {@code /proc/PID/status}): the serial collector (no GC threads), no perf-data file,
     * the JDK's class-data archive when it can be mapped (the default: no {@code -Xshare} option,
     * which would keep the {@link ClassDataCache}'s AOT cache out), a heap that starts at 8 MB instead of
     * 1/64 of the machine's memory (~7 MB less RSS: the young generation the first collections
     * touch), and at most two JIT compiler threads whatever the core count. C2 stays: a pool
     * worker's tasks run at full speed (-XX:TieredStopAtLevel=1 saves another ~5 MB but slows
     * them).
     */
    static final String CHILD_TUNING_DEFAULT = "-XX:+UseSerialGC -XX:-UsePerfData -Xms8m -XX:CICompilerCount=2";
    /**
     * Added to the default tuning on the HotSpot JDKs known to have the option, 20 to 25 (a
     * diagnostic option is invisible to {@code HotSpotDiagnosticMXBean} unless unlocked, so it
     * cannot be probed from here; one a JVM does not know would stop every child from starting;
     * before 20 this was the default): the class-data archives (the
     * JDK's own and the {@link ClassDataCache}'s) mapped at the address they were dumped for, as
     * JDKs before 20 did, instead of at a random one. Relocating them touches and dirties every
     * page: measured on an idle JVM, 20 MB of private (anonymous) RSS instead of 12 MB, 30 MB with
     * the cache's archive, and the VM's "Genesis" start-up phase 90–150 ms instead of 20–45 ms on
     * a loaded machine. Mapped in place, the pages stay clean and are shared by every child. The
     * cost: that region of a child's address space is not randomized (ASLR); a user who wants it
     * replaces the tuning.
     */
    static final String CHILD_TUNING_ARCHIVE_IN_PLACE = "-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0";
    /**
     * Added to the default tuning when the JVM has the (product) option: every 2 s the JVM gives
     * the C heap's free memory back to the system ({@code malloc_trim}). Class loading, the JIT
     * and a spare's warm-up leave several MB freed but still resident in glibc's arenas. Measured
     * on an idle pool worker after 200 tasks ({@code /proc/PID/status}, 3 workers each): VmRSS
     * 68.1 MB without, 62.4 MB with it (RssAnon 28.4 against 22.8 MB); CPU over 10 idle seconds
     * 0–2 clock ticks either way.
     */
    static final String CHILD_TUNING_TRIM = "-XX:TrimNativeHeapInterval=2000";
    static final String CHILD_OPTIONS_PROPERTY = "pyconcurrent.child.options";
    /** The JDK's system property naming the {@code SelectorProvider}, read before any service lookup. */
    static final String SELECTOR_PROVIDER_PROPERTY = "java.nio.channels.spi.SelectorProvider";
    private static final Pattern DIR_NAME = Pattern.compile("pyconc-(\\d+)-(\\d+)-.*");

    /** What the child does once connected; sent on its stdin. */
    enum Mode {
        /** Waits for its command at once. */
        SPAWN,
        /** Loads the toolkit's classes while it waits: a forkserver spare. */
        SPARE,
        /** Runs a spare's warm-up, then exits the JVM's own way: it dumps the {@link ClassDataCache}'s archive. */
        TRAIN
    }

    private static volatile ChildLauncher instance;

    private final Path dir;
    private final Path socketPath;
    private final ServerSocketChannel server;
    /** The child command without the cached files' options; {@link #commandPrefix} is it with them. */
    private final List<String> baseCommand;
    /** Whether children get the per-user caches ({@link ClassDataCache#PROPERTY}). */
    private final boolean caching;
    /** Null when off or not applicable. */
    private final ClassDataCache classData;
    // Guarded by this (written), volatile (read by the spawner): the options of the cached files in place.
    private volatile List<String> jnaOptions;
    private volatile List<String> archiveOptions;
    private volatile List<String> commandPrefix;
    /** Set once this JVM has filled (or decided not to fill) the caches its children use. */
    private final java.util.concurrent.atomic.AtomicBoolean cachesFilled = new java.util.concurrent.atomic.AtomicBoolean();
    /** Completed once the caches are filled or given up: with whether children now get a class-data archive. */
    final CompletableFuture<Boolean> cachesSettled = new CompletableFuture<>();
    /** Children started and not yet connected, by pid. */
    private final ConcurrentHashMap<Long, ChildProcess> connecting = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Runnable> spawnRequests = new LinkedBlockingQueue<>();
    /** Children in a row that ended before they connected, after which the forkserver stops starting spares. */
    static final int FAILURES_TO_WARN = 3;
    /** Set once a child of this launcher has connected: its command line is known to work. */
    private volatile boolean proven;
    /** Children that ended before they connected since the last one that did. */
    private final java.util.concurrent.atomic.AtomicInteger failuresInARow = new java.util.concurrent.atomic.AtomicInteger();

    private ChildLauncher() {
        try {
            sweepDeadDirectories();
            dir = Files.createTempDirectory("pyconc-" + ProcessIdentity.PID + "-" + ProcessIdentity.START_TICKS + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            socketPath = dir.resolve("ctl");
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socketPath));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the control socket for child processes", e);
        }
        baseCommand = commandPrefix();
        caching = ClassDataCache.enabled();
        classData = caching ? ClassDataCache.forCommand(baseCommand) : null;
        jnaOptions = caching ? JnaDispatchLibrary.childOptions(ClassDataCache.root(), false) : List.of();
        archiveOptions = classData == null ? List.of() : classData.useOptions();
        updateCommand();
        if (!caching || !jnaOptions.isEmpty() && (classData == null || !archiveOptions.isEmpty())) {
            cachesFilled.set(true);
            cachesSettled.complete(!archiveOptions.isEmpty());
        }
        // In the outermost thread group: mvn exec:java interrupts its program's group as the program
        // ends, then waits 15 s for threads that stay (this one must stay as long as the JVM).
        Thread.ofPlatform().group(outermostGroup()).daemon().name("pyconcurrent-spawner").start(this::spawnLoop);
        Thread.ofPlatform().group(outermostGroup()).daemon().name("pyconcurrent-acceptor").start(this::acceptLoop);
        Runtime.getRuntime().addShutdownHook(new Thread(this::removeSocket, "pyconcurrent-socket-cleanup"));
    }

    static ChildLauncher get() {
        ChildLauncher l = instance;
        if (l == null) {
            synchronized (ChildLauncher.class) {
                l = instance;
                if (l == null) {
                    instance = l = new ChildLauncher();
                }
            }
        }
        return l;
    }

    /**
     * Starts a child JVM and returns as soon as the OS process exists; it connects on its own.
     */
    ChildProcess launch(Mode mode) {
        if (java.lang.Thread.currentThread().getName().equals("pyconcurrent-spawner")) {
            return startNow(mode);
        }
        CompletableFuture<ChildProcess> started = new CompletableFuture<>();
        spawnRequests.add(() -> {
            try {
                started.complete(startNow(mode));
            } catch (Throwable t) {
                started.completeExceptionally(t);
            }
        });
        try {
            return started.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * Whether a new child should be seen to connect before its start is reported as done: until
     * one child has connected, and again after one failed to. A wrong class path or JVM option
     * then fails the first {@code start()} with {@link #startFailure}'s message, instead of
     * leaving a dead child to be found at {@code join()} (or a pool or forkserver restarting
     * children that cannot start, for ever).
     */
    boolean mustVerifyStart() {
        return !proven || failuresInARow.get() > 0;
    }


    /** How many children in a row ended before they connected. */
    int failuresInARow() {
        return failuresInARow.get();
    }

    /** Counts a child that ended before it connected and returns its error, naming what to check. */
    private RuntimeException startFailure(long pid, int status) {
        String classPath = commandPrefix.get(commandPrefix.indexOf("-cp") + 1);
        StringBuilder m = new StringBuilder("a child JVM (pid ").append(pid).append(") ended with status ").append(status)
                .append(status > 128 ? " (signal " + (status - 128) + ")" : "")
                .append(" before it connected to this JVM, so it could not start; its own error, if any, is above on stderr.");
        if (!onClassPath(ChildMain.class.getName(), classPath)) {
            m.append(" The child's class path does not hold ").append(ChildMain.class.getName())
                    .append(": it is derived from the class loaders your program and this toolkit came from;")
                    .append(" if your launcher hides them, set it with -D").append(ChildClassPath.PROPERTY).append("=<class path>.");
        }
        m.append(" Child command: ").append(String.join(" ", commandPrefix));
        // Counted here, before the child's connected future fails, so that whoever waits on it
        // (the forkserver's refill) sees the streak; its WARNING is logged before it counts.
        synchronized (this) {
            if (failuresInARow.get() + 1 == FAILURES_TO_WARN) {
                LOG.log(Level.WARNING, FAILURES_TO_WARN + " child JVMs in a row ended before they connected: the forkserver starts"
                        + " no spare until a start() succeeds; the next start() tries once more and reports the child's error. Last: "
                        + m);
            }
            failuresInARow.incrementAndGet();
        }
        return new IllegalStateException(m.toString());
    }

    /** Whether {@code className} is in a directory or jar of {@code classPath} (following jars' Class-Path manifests one level). */
    static boolean onClassPath(String className, String classPath) {
        String entry = className.replace('.', '/') + ".class";
        for (String element : classPath.split(java.io.File.pathSeparator)) {
            Path p = Path.of(element.isEmpty() ? "." : element);
            if (Files.isDirectory(p) ? Files.isRegularFile(p.resolve(entry)) : jarHas(p, entry, true)) {
                return true;
            }
        }
        return false;
    }

    private static boolean jarHas(Path jar, String entry, boolean followManifest) {
        if (!Files.isRegularFile(jar)) {
            return false;
        }
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
            if (j.getEntry(entry) != null) {
                return true;
            }
            if (followManifest) {
                for (Path p : ChildClassPath.manifestClassPath(jar)) {
                    if (Files.isDirectory(p) ? Files.isRegularFile(p.resolve(entry)) : jarHas(p, entry, false)) {
                        return true;
                    }
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** Runs {@code work} on the spawner thread, later (a spare's replacement). */
    void onSpawner(Runnable work) {
        spawnRequests.add(work);
    }

    private ChildProcess startNow(Mode mode) {
        ProcessBuilder pb = new ProcessBuilder(PreArmedLaunch.wrap(commandPrefix, Posix.SIGKILL))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        ChildProcess child = startNow(pb, mode, pid -> status -> startFailure(pid, status));
        child.connected.thenRun(() -> {
            proven = true;
            failuresInARow.set(0);
            fillCaches();
        });
        return child;
    }

    private ChildProcess startNow(ProcessBuilder pb, Mode mode,
            java.util.function.LongFunction<java.util.function.IntFunction<RuntimeException>> startFailure) {
        java.lang.Process os;
        try {
            os = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a child JVM: " + pb.command().getFirst(), e);
        }
        DataOutputStream stdin = new DataOutputStream(os.getOutputStream());
        long pid = os.pid();
        ChildProcess child = new ChildProcess(os, stdin, startFailure.apply(pid));
        connecting.put(child.pid, child);
        child.exit.whenComplete((code, err) -> connecting.remove(child.pid));
        try {
            stdin.writeUTF(socketPath.toString());
            child.proofs.writeTo(stdin);
            stdin.writeByte(mode.ordinal());
            stdin.writeBoolean(mode == Mode.SPARE ? Warmup.preloadsChronicle() : mode == Mode.TRAIN && classData.withChronicle());
            if (mode == Mode.TRAIN) {
                stdin.writeUTF(ClassDataCache.mainClass());
            }
            stdin.flush();
        } catch (IOException e) {
            // The child died at once; its exit is reported as usual.
            LOG.log(Level.DEBUG, "child " + child.pid + " ended before it read its stdin", e);
        }
        return child;
    }

    /**
     * Once per JVM, after its first child connected (never before a user's first start): puts
     * JNA's dispatch library in the cache if it is not there, and, if the {@link ClassDataCache}
     * has no archive for this command and can build one, starts the hidden child that dumps it
     * (its output discarded). The children started after each file is in place get it.
     */
    private void fillCaches() {
        if (!cachesFilled.compareAndSet(false, true)) {
            return;
        }
        // File work (a jar's entry copied, the class path's manifests read): not on the spawner thread.
        Thread.ofVirtual().name("pyconcurrent-child-caches").start(() -> {
            if (jnaOptions.isEmpty()) {
                synchronized (this) {
                    jnaOptions = JnaDispatchLibrary.childOptions(ClassDataCache.root(), true);
                    updateCommand();
                }
            }
            if (classData == null || !archiveOptions.isEmpty()) {
                cachesSettled.complete(!archiveOptions.isEmpty());
                return;
            }
            if (!classData.trainable()) {
                cachesSettled.complete(false);
                return;
            }
            Path dump = classData.trainingFile();
            List<String> options = new ArrayList<>(jnaOptions);
            options.addAll(classData.trainingOptions(dump));
            ProcessBuilder pb = new ProcessBuilder(PreArmedLaunch.wrap(withOptions(baseCommand, options), Posix.SIGTERM))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            onSpawner(() -> {
                ChildProcess trainer;
                try {
                    trainer = startNow(pb, Mode.TRAIN,
                            pid -> status -> new IllegalStateException("the class-data training child " + pid + " ended with " + status));
                } catch (RuntimeException e) {
                    cachesSettled.complete(false);
                    throw e;
                }
                trainer.exit.whenComplete((code, err) -> {
                    boolean installed = classData.install(dump, code == null ? -1 : code);
                    if (installed) {
                        synchronized (this) {
                            archiveOptions = classData.useOptions();
                            updateCommand();
                        }
                        LOG.log(Level.DEBUG, "child JVMs now map the class-data archive " + classData.archive());
                    }
                    cachesSettled.complete(installed);
                });
            });
        });
    }

    private synchronized void updateCommand() {
        List<String> options = new ArrayList<>(jnaOptions);
        options.addAll(archiveOptions);
        commandPrefix = withOptions(baseCommand, options);
    }

    /** {@code command} with {@code options} before its {@code -cp}. */
    private static List<String> withOptions(List<String> command, List<String> options) {
        if (options.isEmpty()) {
            return command;
        }
        List<String> c = new ArrayList<>(command);
        c.addAll(c.indexOf("-cp"), options);
        return List.copyOf(c);
    }

    private void spawnLoop() {
        while (true) {
            try {
                spawnRequests.take().run();
            } catch (Throwable t) {
                // This thread must never end: the kernel's parent-death signal of every child is
                // tied to it. Nothing that fails here may escape.
                LOG.log(Level.WARNING, "a child JVM could not be started", t);
            }
        }
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
                LOG.log(Level.WARNING, "accepting a child's control connection failed", e);
                continue;
            }
            Thread.ofVirtual().name("pyconcurrent-handshake").start(() -> handshake(socket));
        }
    }

    private void handshake(SocketChannel socket) {
        try {
            Channel c = Channel.accept(socket, pid -> {
                ChildProcess waiting = connecting.get(pid);
                return waiting == null ? null : waiting.proofs;
            });
            Channel.Frame hello = c.receive();
            ChildProcess child = hello == null || hello.type() != Channel.Frame.HELLO || hello.id() != c.peer()
                    ? null : connecting.remove(c.peer());
            if (child == null) {
                LOG.log(Level.WARNING, "dropped a control connection that named no child of this JVM");
                c.close();
                return;
            }
            child.attach(c);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "dropped a control connection: " + e.getMessage());
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    private void removeSocket() {
        try {
            server.close();
            Files.deleteIfExists(socketPath);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // at exit: a stray directory is swept by the next launcher
        }
    }

    /** Removes control directories whose owner JVM is dead (killed before its exit hook). */
    static void sweepDeadDirectories() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, "pyconc-*")) {
            for (Path d : dirs) {
                Matcher m = DIR_NAME.matcher(d.getFileName().toString());
                if (m.matches() && Files.isDirectory(d)
                        && !ProcessIdentity.isAlive(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)))) {
                    try (Stream<Path> files = Files.walk(d)) {
                        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(p);
                        }
                    } catch (IOException e) {
                        // another JVM is sweeping it too
                    }
                }
            }
        }
    }

    private static List<String> commandPrefix() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseGet(() -> System.getProperty("java.home") + "/bin/java"));
        cmd.addAll(JvmFlags.flags());
        String tuning = System.getProperty(CHILD_TUNING_PROPERTY);
        cmd.addAll(split(tuning != null ? tuning : CHILD_TUNING_DEFAULT));
        int feature = Runtime.version().feature();
        if (tuning == null && feature >= 20 && feature <= 25 && vmHasOption("UseSerialGC")) { // UseSerialGC: a HotSpot VM
            cmd.addAll(split(CHILD_TUNING_ARCHIVE_IN_PLACE));
        }
        if (tuning == null && vmHasOption("TrimNativeHeapInterval")) {
            cmd.addAll(split(CHILD_TUNING_TRIM));
        }
        List<String> input = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < input.size(); i++) {
            String a = input.get(i);
            if (a.startsWith("-D") || a.equals("-ea") || a.equals("-da") || a.startsWith("-enableassertions")
                    || a.startsWith("-disableassertions") || a.startsWith("--add-opens=") || a.startsWith("--add-exports=")
                    || a.startsWith("--add-modules=") || a.startsWith("--enable-native-access=")
                    || a.startsWith("--sun-misc-unsafe-memory-access=")) {
                if (!cmd.contains(a)) {
                    cmd.add(a);
                }
            }
        }
        cmd.addAll(split(System.getProperty(CHILD_OPTIONS_PROPERTY, "")));
        String jnaPath = CLibrary.childSearchPathOption();
        if (jnaPath != null && cmd.stream().noneMatch(a -> a.startsWith("-D" + CLibrary.SEARCH_PATH_PROPERTY + "="))) {
            cmd.add(jnaPath); // the child's JNA need not run ldconfig -p
        }
        String selector = selectorProviderOption();
        if (selector != null && cmd.stream().noneMatch(a -> a.startsWith("-D" + SELECTOR_PROVIDER_PROPERTY + "="))) {
            cmd.add(selector);
        }
        cmd.add("-cp");
        cmd.add(ChildClassPath.forChild());
        cmd.add(ChildMain.class.getName());
        cmd.add(Long.toString(ProcessIdentity.PID));
        return List.copyOf(cmd);
    }

    /**
     * The option naming this JVM's {@code SelectorProvider} for a child, when it is the
     * platform's own: without it the child's first {@code SocketChannel} (its control
     * connection) makes {@code ServiceLoader} open every jar of its class path in search of a
     * provider service. With Chronicle's jars on the path that cost a child about 80 ms of CPU
     * (its connect step, summed over its threads from {@code /proc/self/task/*}/schedstat: 147
     * against 65 ms). A provider of the user's own (a service on the class path) is left for the
     * child to find the same way.
     */
    private static String selectorProviderOption() {
        Class<?> provider = SelectorProvider.provider().getClass();
        if (!provider.getName().startsWith("sun.nio.ch.")) {
            return null;
        }
        try {
            provider.getConstructor(); // what the JDK calls for a provider named by the property
        } catch (NoSuchMethodException e) {
            return null;
        }
        return "-D" + SELECTOR_PROVIDER_PROPERTY + "=" + provider.getName();
    }

    /** Whether this JVM (the one children run on) knows the {@code -XX} option {@code name}. */
    static boolean vmHasOption(String name) {
        try {
            ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption(name);
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            return false;
        }
    }

    private static ThreadGroup outermostGroup() {
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        while (g.getParent() != null) {
            g = g.getParent();
        }
        return g;
    }

    private static List<String> split(String options) {
        String t = options.trim();
        return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
    }
}
