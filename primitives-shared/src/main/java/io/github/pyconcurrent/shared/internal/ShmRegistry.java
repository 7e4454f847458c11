package io.github.pyconcurrent.shared.internal;

import io.github.pyconcurrent.internal.LazyLogger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who owns which file of ours in {@code /dev/shm}, and the clean-up of files whose owner died.
 *
 * <h2>The convention</h2>
 * Every file the toolkit creates in {@code /dev/shm} starts with {@code pyconc}, and every such
 * file names its creator (pid <em>and</em> process start time, because pids are reused), in one
 * of two ways:
 * <ul>
 *   <li>{@code pyconc.<name>}: a {@link io.github.pyconcurrent.shared.SharedMemory} segment; the creator is recorded in the
 *       segment's own header ({@link SharedMemoryLayout}). User-named segments and the segments of
 *       the process-shared primitives (named {@code <pid>-<start>-<kind>-<n>}) both use it.</li>
 *   <li>{@code pyconc-<pid>-<start>-<kind>-<n>}: any other file (a Chronicle Map file, ...) whose
 *       format we do not control: the creator is in the name. Get one from
 *       {@link #newOwnedPath(String)}.</li>
 * </ul>
 *
 * <h2>Lifetime</h2>
 * The creator owns the file: it is unlinked when the owner releases it ({@link #unlink(Path)},
 * called by {@code SharedMemory.close()} of the creator and by the owners of other files), or when
 * the owner JVM exits normally (a shutdown hook unlinks everything still registered). A JVM killed
 * with {@code kill -9} runs no hook: its files are swept ({@link #sweep()}) the next time the
 * toolkit starts in any JVM (the first use of this class), and by anyone calling {@link #sweep()}.
 * A file is swept when its creator is dead by {@link ProcessIdentity#isAlive(int, long)} (gone,
 * zombie, or pid reused). A {@code pyconc.} file without a valid header (its creator died between
 * creating and initialising it) is swept once it is older than {@link #HEADERLESS_GRACE_MILLIS}.
 *
 * <p>Usage by a module that keeps its own file format there:
 * <pre>{@code
 * Path file = ShmRegistry.newOwnedPath("dict");   // registered: unlinked at JVM exit
 * ... create the file, use it ...
 * ShmRegistry.unlink(file);                        // when done (idempotent)
 * }</pre>
 *
 * <p>Not API: public only so that the toolkit's other modules (the process module's rings, queues
 * and forkserver; the chaos checks) can reach it.
 */
public final class ShmRegistry {
    private static final System.Logger LOG = LazyLogger.of(ShmRegistry.class);

    /** Where the files live; the system property exists for tests on machines without /dev/shm. */
    public static final Path DIR = Path.of(System.getProperty("pyconcurrent.shm.dir", "/dev/shm"));
    /** Prefix of {@link io.github.pyconcurrent.shared.SharedMemory} files (owner in the header). */
    public static final String SEGMENT_PREFIX = "pyconc.";
    /** Prefix of other owned files (owner in the name). */
    public static final String OWNED_PREFIX = "pyconc-";
    /** How old a header-less {@code pyconc.} file must be before a sweep takes it as abandoned. */
    public static final long HEADERLESS_GRACE_MILLIS = 10_000;

    private static final Pattern OWNED_NAME = Pattern.compile("pyconc-(\\d+)-(\\d+)-.*");
    private static final Pattern KIND = Pattern.compile("[a-z0-9]{1,16}");

    /** Files this JVM created and has not unlinked yet; all are unlinked at exit. */
    private static final Set<Path> OWNED = ConcurrentHashMap.newKeySet();
    private static final AtomicLong COUNTER = new AtomicLong();

    static {
        sweep();
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(ShmRegistry::unlinkAllOwned, "pyconcurrent-shm-cleanup"));
        } catch (IllegalStateException e) {
            // First used while this JVM is already exiting (a pool worker terminated as it opens
            // its rings): its files, named by this process, are left to the next sweep. Failing
            // here made the class unusable and printed an ExceptionInInitializerError on stderr.
            LOG.log(Level.DEBUG, "shared memory first used during shutdown; its files are left to the sweep", e);
        }
    }

    private ShmRegistry() {}

    /**
     * A fresh path {@code /dev/shm/pyconc-<pid>-<start>-<kind>-<n>} for a file this JVM will own,
     * registered so it is unlinked at JVM exit. {@code kind} is 1–16 of {@code [a-z0-9]}.
     *
     * @param kind what the file is, 1 to 16 of {@code [a-z0-9]}
     * @return a path not yet created, registered to this JVM
     * @throws IllegalArgumentException if {@code kind} is malformed
     */
    public static Path newOwnedPath(String kind) {
        checkKind(kind);
        Path p = DIR.resolve(OWNED_PREFIX + ProcessIdentity.PID + "-" + ProcessIdentity.START_TICKS + "-"
                + kind + "-" + COUNTER.incrementAndGet());
        OWNED.add(p);
        return p;
    }

    /**
     * A fresh unique segment name for {@link io.github.pyconcurrent.shared.SharedMemory#create(String, long)} of an internal object.
     *
     * @param kind what the segment is, 1 to 16 of {@code [a-z0-9]}
     * @return a segment name no one has used
     * @throws IllegalArgumentException if {@code kind} is malformed
     */
    public static String newSegmentName(String kind) {
        checkKind(kind);
        return ProcessIdentity.PID + "-" + ProcessIdentity.START_TICKS + "-" + kind + "-" + COUNTER.incrementAndGet();
    }

    /**
     * Registers a file this JVM created, so it is unlinked at exit.
     *
     * @param file the file, created by this JVM
     */
    public static void register(Path file) {
        OWNED.add(file);
    }

    /**
     * Unlinks an owned file now and forgets it; a missing file is fine (idempotent).
     *
     * @param file the file to delete
     */
    public static void unlink(Path file) {
        // Delete before forgetting, so strays() never sees a file of ours that is unregistered.
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not unlink " + file, e);
        }
        OWNED.remove(file);
    }

    /**
     * Stops owning a path without touching the file (it turned out not to be ours).
     *
     * @param file the file no longer to unlink at exit
     */
    public static void forget(Path file) {
        OWNED.remove(file);
    }

    /**
     * Whether this JVM owns the file (created it and has not unlinked it).
     *
     * @param file the file
     * @return true if this JVM created it and has not unlinked it
     */
    public static boolean isOwned(Path file) {
        return OWNED.contains(file);
    }

    /**
     * The files this JVM currently owns.
     *
     * @return a snapshot of the files this JVM owns
     */
    public static Set<Path> owned() {
        return Set.copyOf(OWNED);
    }

    /**
     * Unlinks every file of ours whose creator is dead; returns the paths removed. Safe to run at
     * any time, from any number of JVMs at once.
     *
     * @return the files this call deleted
     */
    public static List<Path> sweep() {
        List<Path> removed = new ArrayList<>();
        for (Path p : ours()) {
            if (isAbandoned(p)) {
                try {
                    if (Files.deleteIfExists(p)) {
                        removed.add(p);
                    }
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "could not sweep " + p, e);
                }
            }
        }
        if (!removed.isEmpty()) {
            LOG.log(Level.INFO, "swept " + removed.size() + " file(s) left in " + DIR + " by dead processes: " + removed);
        }
        return removed;
    }

    /**
     * The files of ours that should not exist now: created by this JVM and still present although
     * no longer registered, or left by a dead creator. For tests' "nothing leaks" checks; files of
     * other live JVMs (other test runs in parallel) are not counted.
     *
     * @return the files that should not exist now
     */
    public static List<Path> strays() {
        List<Path> strays = new ArrayList<>();
        for (Path p : ours()) {
            long owner = ownerOf(p);
            // Re-check existence last: unlink() deletes before it forgets, so a file being
            // unlinked right now is either still registered or already gone.
            if ((owner == ProcessIdentity.SELF ? !OWNED.contains(p) : isAbandoned(p)) && Files.exists(p)) {
                strays.add(p);
            }
        }
        return strays;
    }

    /**
     * Every file in {@link #DIR} with our prefix.
     *
     * @return every toolkit file in {@link #DIR} now
     */
    public static List<Path> ours() {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(DIR, "pyconc*")) {
            for (Path p : dir) {
                String n = p.getFileName().toString();
                if (n.startsWith(SEGMENT_PREFIX) || n.startsWith(OWNED_PREFIX)) {
                    files.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** The owner word of a file of ours, or 0 when it has none (yet). */
    static long ownerOf(Path p) {
        String n = p.getFileName().toString();
        if (n.startsWith(OWNED_PREFIX)) {
            Matcher m = OWNED_NAME.matcher(n);
            if (!m.matches()) {
                return 0;
            }
            try {
                return ProcessIdentity.ownerWord(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(SharedMemoryLayout.HEADER_SIZE).order(ByteOrder.nativeOrder());
            while (header.hasRemaining() && ch.read(header) > 0) {
                // read the whole header
            }
            if (header.position() < SharedMemoryLayout.HEADER_SIZE
                    || header.getInt(SharedMemoryLayout.MAGIC_OFFSET) != SharedMemoryLayout.MAGIC) {
                return 0;
            }
            return header.getLong(SharedMemoryLayout.OWNER_OFFSET);
        } catch (IOException e) {
            return 0;
        }
    }

    private static boolean isAbandoned(Path p) {
        long owner = ownerOf(p);
        if (owner != 0) {
            return !ProcessIdentity.isAlive(owner);
        }
        try {
            FileTime modified = Files.getLastModifiedTime(p);
            return System.currentTimeMillis() - modified.toMillis() > HEADERLESS_GRACE_MILLIS;
        } catch (IOException e) {
            return false;
        }
    }

    private static void unlinkAllOwned() {
        for (Path p : List.copyOf(OWNED)) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException | RuntimeException e) {
                // at exit nothing can be done about it: the next start sweeps it
            }
        }
        OWNED.clear();
    }

    private static void checkKind(String kind) {
        if (!KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("kind must be 1-16 of [a-z0-9]: " + kind);
        }
    }
}
