package io.github.pyconcurrent.multiprocessing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A per-user cache of the class data child JVMs load: a dynamic AppCDS archive (JDK 19+'s
 * {@code -XX:ArchiveClassesAtExit} / {@code -XX:SharedArchiveFile}) of the classes a child loads
 * from the class path before and while it runs its first task (JNA, this toolkit, the lambda
 * serialization path, Chronicle Map). A child that maps it loads those classes parsed and
 * verified already: measured with {@code perf stat -e task-clock} on a JVM that loads JNA and
 * registers its C library, ~30% less CPU (median 300 ms against 430 ms; the register step
 * 150 ms against 220 ms). Python has no counterpart: its children pay for imports with
 * {@code .pyc} files, which is what this archive is to a JVM. With
 * {@value #FORMAT_PROPERTY}{@code =aot} the archive is JDK 25's AOT cache instead
 * ({@link Format#AOT}; measured slower here, see {@link Format#chosen()}).
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li><b>Keyed by what the archive depends on</b>: the JDK ({@code java.home},
 *       {@code java.vm.version}), the child's JVM options other than {@code -D}, and its class
 *       path with every entry's size and modification time. A rebuilt jar, another JDK or other
 *       options make another key; the old file is pruned when more than {@value #KEEP} exist.</li>
 *   <li><b>Built off the critical path</b>, at most once per parent JVM: once the parent's first
 *       child has connected, the launcher starts one more child, hidden from the user, that runs
 *       the forkserver spares' warm-up and exits the JVM's usual way, dumping the archive into a
 *       file of its own; the parent renames it into place (atomic: two parents building the same
 *       key at once each rename a complete file). A user's first {@code start()} never waits for
 *       it; the children started after it get it.</li>
 *   <li><b>Only for class paths of jars</b>: the JDK refuses to archive from a class path
 *       with a directory (tests, IDEs) or a jar whose manifest adds one (Surefire's); such a
 *       parent's children start as before, and none is trained.</li>
 *   <li><b>Falls back in silence</b>: a file that is not a complete archive (size recorded
 *       beside it, the dynamic archive's magic number) is not used, and a child that still
 *       cannot map its archive (another JDK's file under the same name) runs without it; its JVM's
 *       own CDS messages are off ({@code -Xlog:cds*=off}) so that nothing reaches the user's
 *       stdout. An unwritable or full cache directory, or a training child that fails, costs one
 *       {@code System.Logger} WARNING per parent JVM at most.</li>
 *   <li>{@value #PROPERTY}{@code =false} turns it off (and {@link JnaDispatchLibrary}'s cache);
 *       {@value #DIR_PROPERTY} moves both (default {@code $XDG_CACHE_HOME/pyconcurrent}, else
 *       {@code ~/.cache/pyconcurrent}; the archives are in its {@code class-data}). A child whose
 *       options already name an archive or an AOT cache keeps the user's.</li>
 * </ul>
 */
final class ClassDataCache {
    private static final System.Logger LOG = System.getLogger(ClassDataCache.class.getName());

    /** {@code false} turns the cache off. */
    static final String PROPERTY = "pyconcurrent.child.aot";
    /** The root of the per-user caches: the archives are in its {@code class-data}. */
    static final String DIR_PROPERTY = "pyconcurrent.child.aot.dir";
    /** Archives kept per user; older ones are deleted when a new one is installed. */
    static final int KEEP = 8;
    /** {@code cds} (the default) or {@code aot} (JDK 25+): which kind of archive to build. */
    static final String FORMAT_PROPERTY = "pyconcurrent.child.aot.format";
    /** The first four bytes of a dynamic CDS archive ({@code CDS_DYNAMIC_ARCHIVE_MAGIC}), little-endian. */
    private static final int DYNAMIC_ARCHIVE_MAGIC = 0xf00baba8;
    /** The first four bytes of a static archive, which an AOT cache is ({@code CDS_ARCHIVE_MAGIC}). */
    private static final int STATIC_ARCHIVE_MAGIC = 0xf00baba2;
    /** Keeps the JVM's CDS log lines (warnings of a file it cannot map, its dump's notes) off the child's stdout. */
    static final String QUIET = "-Xlog:cds*=off";
    /** The same for the AOT cache's log lines. */
    static final String QUIET_AOT = "-Xlog:aot*=off";

    /** The kind of archive children of this JVM use. */
    enum Format {
        /**
         * JDK 25+'s AOT cache (JEP 483, made in one run by JEP 514's {@code -XX:AOTCacheOutput}):
         * a static archive of the classes loaded, linked, with the module graph and resolved
         * lambdas. It is the only kind that keeps the JDK's archived module graph for a JVM with
         * {@code --add-opens} and {@code --add-exports} (every child has them), which a JVM
         * otherwise rebuilds at start-up.
         */
        AOT(STATIC_ARCHIVE_MAGIC, ".aot"),
        /** JDK 19+'s dynamic AppCDS archive: the classes loaded, parsed and verified. */
        CDS(DYNAMIC_ARCHIVE_MAGIC, ".jsa");

        final int magic;
        final String suffix;

        Format(int magic, String suffix) {
            this.magic = magic;
            this.suffix = suffix;
        }

        List<String> trainingOptions(Path file) {
            return this == AOT ? List.of(QUIET, QUIET_AOT, "-XX:AOTCacheOutput=" + file)
                    : List.of(QUIET, "-XX:ArchiveClassesAtExit=" + file);
        }

        List<String> useOptions(Path file) {
            return this == AOT ? List.of(QUIET, QUIET_AOT, "-XX:AOTCache=" + file)
                    : List.of(QUIET, "-XX:SharedArchiveFile=" + file);
        }

        /**
         * CDS, unless {@value #FORMAT_PROPERTY}{@code =aot} and this JVM (the one children run on)
         * can build an AOT cache. Why not AOT by default: measured on JDK 25, 5 pairs of a program
         * that spawns 11 children in a row, each pair one with either kind of archive in place,
         * the AOT cache cost 1.12x the CPU and 1.20x the wall time of the dynamic archive (its
         * 30 MB against 12 MB, and the module graph it restores, did not pay for themselves).
         * Re-measured once Chronicle Map was out of the archive (17 MB against 3.4 MB), 3 pairs of
         * 20 spawn starts at load 13-15: 0.87x the user CPU, but a slower p50 (487/501/606 against
         * 388/499/435 ms) and p95.
         */
        static Format chosen() {
            String set = System.getProperty(FORMAT_PROPERTY, "").trim();
            return set.equalsIgnoreCase("aot") && ChildLauncher.vmHasOption("AOTCacheOutput") ? AOT : CDS;
        }
    }

    private final Path dir;
    private final Format format;
    /** The archive for this key, {@code child-<key>.aot} or {@code .jsa}; its size is recorded in {@link #sizeFile} ({@code <archive>.size}). */
    private final Path archive;
    private final Path sizeFile;
    private final List<String> classPath;
    /** Whether the training child takes the warm-up's Chronicle Map step (part of the key). */
    private final boolean chronicle;
    private final AtomicBoolean warned = new AtomicBoolean();

    private ClassDataCache(Path dir, String key, List<String> classPath, Format format, boolean chronicle) {
        this.dir = dir;
        this.format = format;
        this.chronicle = chronicle;
        this.archive = dir.resolve("child-" + key + format.suffix);
        this.sizeFile = dir.resolve(archive.getFileName() + ".size");
        this.classPath = classPath;
    }

    /**
     * The cache for children started with {@code command} (a java command line with {@code -cp}
     * and its main class), or null when it is off or the command names its own archive.
     */
    static ClassDataCache forCommand(List<String> command) {
        if (!enabled()) {
            return null;
        }
        for (String option : command) {
            if (option.startsWith("-XX:SharedArchiveFile") || option.startsWith("-XX:AOTCache")
                    || option.startsWith("-XX:ArchiveClassesAtExit") || option.equals("-Xshare:off")) {
                return null;
            }
        }
        int cp = command.indexOf("-cp");
        if (cp < 0 || cp + 1 >= command.size()) {
            return null;
        }
        List<String> classPath = List.of(command.get(cp + 1).split(File.pathSeparator));
        // The JDK refuses an AOT cache beside any -Xshare option (-Xshare:auto, the default, included).
        Format format = command.stream().anyMatch(o -> o.startsWith("-Xshare:")) ? Format.CDS : Format.chosen();
        boolean chronicle = Warmup.preloadsChronicle();
        return new ClassDataCache(directory(), key(command, classPath) + (chronicle ? "-chronicle" : ""), classPath, format,
                chronicle);
    }

    /** Whether the per-user caches are on ({@value #PROPERTY}, default true). */
    static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty(PROPERTY, "true"));
    }

    /**
     * The root of the per-user caches child JVMs use ({@value #DIR_PROPERTY}, default
     * {@code $XDG_CACHE_HOME/pyconcurrent}, else {@code ~/.cache/pyconcurrent}).
     */
    static Path root() {
        String set = System.getProperty(DIR_PROPERTY, "").trim();
        if (!set.isEmpty()) {
            return Path.of(set);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("pyconcurrent");
    }

    /** The archives' directory under {@link #root()}. */
    static Path directory() {
        return root().resolve("class-data");
    }

    /** A digest of the JDK, the options other than {@code -D}, and the class path's entries as they are on disk. */
    static String key(List<String> command, List<String> classPath) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder s = new StringBuilder();
        s.append(System.getProperty("java.home")).append('\n').append(System.getProperty("java.vm.version")).append('\n');
        int cp = command.indexOf("-cp");
        for (int i = 0; i < command.size(); i++) {
            String option = command.get(i);
            if (i == cp + 1 || option.startsWith("-D")) {
                continue; // system properties do not change what a class archive holds
            }
            s.append(option).append('\n');
            if (i > cp && cp >= 0 && i == cp + 2) {
                break; // the main class; what follows is its arguments (the parent's pid)
            }
        }
        for (String entry : classPath) {
            s.append(entry);
            try {
                BasicFileAttributes a = Files.readAttributes(Path.of(entry), BasicFileAttributes.class);
                s.append(' ').append(a.size()).append(' ').append(a.lastModifiedTime().toMillis());
            } catch (IOException | RuntimeException e) {
                s.append(" -");
            }
            s.append('\n');
        }
        byte[] digest = sha.digest(s.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 12);
    }

    /** The archive's file, whether or not it exists. */
    Path archive() {
        return archive;
    }

    /**
     * The options that make a child map the archive, or an empty list when there is no complete
     * one for this key. A file of the archive's name that is not one (truncated, foreign) is
     * deleted, with one WARNING, so that the next training replaces it.
     */
    List<String> useOptions() {
        if (!Files.isRegularFile(archive)) {
            return List.of();
        }
        if (!complete()) {
            warnOnce("the class-data archive " + archive + " is incomplete or not an archive: child JVMs start without it"
                    + " until it is rebuilt");
            try {
                Files.deleteIfExists(archive);
                Files.deleteIfExists(sizeFile);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "cannot delete " + archive, e);
            }
            return List.of();
        }
        return format.useOptions(archive);
    }

    private boolean complete() {
        try {
            long expected = Long.parseLong(Files.readString(sizeFile).trim());
            if (Files.size(archive) != expected || expected < 4) {
                return false;
            }
            byte[] head = new byte[4];
            try (InputStream in = Files.newInputStream(archive)) {
                if (in.readNBytes(head, 0, 4) != 4) {
                    return false;
                }
            }
            int magic = (head[0] & 0xff) | (head[1] & 0xff) << 8 | (head[2] & 0xff) << 16 | (head[3] & 0xff) << 24;
            return magic == format.magic;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether a training child could dump an archive: every class path entry is a jar whose
     * manifest adds no directory to the class path, and the directory can be written. Reads the jars'
     * manifests, and deletes the dumps of training children whose parent JVM is gone: call it off
     * the critical path.
     */
    boolean trainable() {
        for (String entry : classPath) {
            Path p = Path.of(entry.isEmpty() ? "." : entry);
            Path directory = Files.isRegularFile(p) ? manifestDirectory(p) : p;
            if (directory != null) {
                LOG.log(Level.DEBUG, "no class-data archive for a class path with a directory: " + directory);
                return false;
            }
        }
        try {
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) {
                throw new IOException("not writable");
            }
        } catch (IOException e) {
            warnOnce("cannot write the class-data cache " + dir + " (" + e.getMessage() + "): child JVMs start without it;"
                    + " set -D" + DIR_PROPERTY + "=<dir> to move it or -D" + PROPERTY + "=false to turn it off");
            return false;
        }
        try {
            // A parent that exits while its training child runs never installs the dump, and
            // the child, SIGTERMed, still writes it as it exits: without this they pile up.
            prune();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot prune " + dir, e);
        }
        return true;
    }

    /** A directory the manifest of {@code jar} adds to the class path (Surefire's jar does), or null. */
    private static Path manifestDirectory(Path jar) {
        for (Path p : ChildClassPath.manifestClassPath(jar)) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    /** Where a training child dumps: a file of its own, renamed into place by {@link #install}. */
    Path trainingFile() {
        return dir.resolve(archive.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    }

    /**
     * Whether the training child also opens a throw-away {@code SharedDict}, archiving Chronicle
     * Map's classes: decided as a spare's warm-up is ({@link Warmup#preloadsChronicle()}), when
     * this JVM starts its first child. Without them the archive is 3.4 MB instead of 12.1 MB,
     * and a child maps nearly all of it (fault-around on a file the page cache holds): an idle
     * pool worker's RSS was 53.4 against 61.4 MB (median of 3 each, {@code /proc/PID/status},
     * 200 applies, the two archives alternated). A program that uses a {@code SharedDict} from
     * its start gets the larger archive under a key of its own.
     */
    boolean withChronicle() {
        return chronicle;
    }

    /**
     * The class this JVM was started with ({@code java ... Main}), which the training child loads
     * (without initializing it) so that the archive holds it; empty when there is none to name
     * ({@code -jar}, a source-file launch). Why: a serializable lambda is deserialized through its
     * capturing class, most often the program's main class, and a class that is not in the
     * archive is looked up in the class path's jars, each opened in turn (-Xlog:class+load of a
     * spawned child whose target captured its main class: ~50 ms opening a 17 MB jar, at load ~10).
     */
    static String mainClass() {
        String command = System.getProperty("sun.java.command", "").strip();
        String first = command.isEmpty() ? "" : command.split("\\s+", 2)[0];
        return first.endsWith(".jar") || first.endsWith(".java") || first.contains("/") ? "" : first;
    }

    /** The options that make a training child dump its classes to {@code file} at exit. */
    List<String> trainingOptions(Path file) {
        return format.trainingOptions(file);
    }

    /**
     * Puts a training child's dump in place (or drops it when the child failed), then prunes the
     * oldest archives beyond {@value #KEEP}. Returns whether the archive is now usable.
     */
    boolean install(Path dumped, int trainingExitCode) {
        try {
            if (trainingExitCode != 0 || !Files.isRegularFile(dumped)) {
                warnOnce("the child JVM that builds the class-data archive ended with status " + trainingExitCode
                        + "; child JVMs start without the archive (-D" + PROPERTY + "=false turns this off)");
                return false;
            }
            Files.writeString(sizeFile, Long.toString(Files.size(dumped)));
            Files.move(dumped, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            prune();
            return complete();
        } catch (IOException e) {
            warnOnce("cannot install the class-data archive in " + dir + " (" + e.getMessage() + "): child JVMs start without it");
            return false;
        } finally {
            try {
                Files.deleteIfExists(dumped);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "cannot delete " + dumped, e);
            }
        }
    }

    /** Deletes all but the {@value #KEEP} newest archives, and training files whose JVM is gone. */
    private void prune() throws IOException {
        List<Path> archives = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "child-*")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                int tmp = name.indexOf(".tmp-");
                if (tmp >= 0) {
                    String pid = name.substring(tmp + 5, name.indexOf('-', tmp + 5));
                    if (ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                        Files.deleteIfExists(f);
                    }
                } else if (name.endsWith(".jsa") || name.endsWith(".aot")) {
                    archives.add(f);
                } else if (name.endsWith(".size") && !Files.exists(f.resolveSibling(name.substring(0, name.length() - ".size".length())))) {
                    Files.deleteIfExists(f); // its archive is gone (or it is an older release's)
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "cannot prune " + dir, e);
            return;
        }
        archives.sort(Comparator.comparing((Path f) -> {
            try {
                return Files.getLastModifiedTime(f).toMillis();
            } catch (IOException e) {
                return 0L;
            }
        }).reversed());
        for (Path old : archives.subList(Math.min(KEEP, archives.size()), archives.size())) {
            Files.deleteIfExists(old);
            Files.deleteIfExists(old.resolveSibling(old.getFileName() + ".size"));
        }
    }

    private void warnOnce(String message) {
        if (warned.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, message);
        }
    }
}
