package io.github.pyconcurrent.shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a {@link Manager}'s Chronicle Map files live and who owns them: the one seam between the
 * dict and the /dev/shm ownership convention.
 *
 * <p>A file is named {@code /dev/shm/pyconcurrent-dict-<pid>-<start time>-<n>}: the creator's
 * pid and its start time (clock ticks since boot, from {@code /proc/<pid>/stat}; pids are reused,
 * the pair is not). It is created with mode 0600, unlinked when its manager shuts down or, at the
 * latest, when the creating JVM exits normally; a file whose creator died without either
 * (SIGKILL) is swept by the next {@link Manager#start()} on the machine.
 */
final class DictFiles {
    static final Path DIRECTORY = Path.of(System.getProperty("pyconcurrent.shared.dir", "/dev/shm"));
    private static final String PREFIX = "pyconcurrent-dict-";
    private static final String OWNER = ProcessHandle.current().pid() + "-" + startTime(ProcessHandle.current().pid());
    private static final AtomicLong COUNTER = new AtomicLong();
    /** Files of this JVM not yet unlinked; the exit hook unlinks what is left. */
    private static final Set<Path> OWNED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OWNED.forEach(DictFiles::unlink),
                "pyconcurrent-dict-unlink"));
    }

    private DictFiles() {}

    /** Creates a new empty file owned by this JVM, mode 0600. */
    static Path create() {
        while (true) {
            Path path = DIRECTORY.resolve(PREFIX + OWNER + "-" + COUNTER.incrementAndGet());
            try {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                OWNED.add(path);
                return path;
            } catch (FileAlreadyExistsException e) {
                // a file left by a dead JVM with our pid and start time cannot exist; skip the name anyway
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a SharedDict file in " + DIRECTORY, e);
            }
        }
    }

    /** Unlinks a file of ours; idempotent. */
    static void unlink(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            System.getLogger(DictFiles.class.getName()).log(System.Logger.Level.WARNING, "cannot unlink " + path, e);
        }
        OWNED.remove(path);
    }

    /** Unlinks dict files whose creating JVM is gone. */
    static void sweep() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(DIRECTORY, PREFIX + "*")) {
            for (Path file : files) {
                String[] parts = file.getFileName().toString().substring(PREFIX.length()).split("-");
                if (parts.length == 3 && !alive(Long.parseLong(parts[0]), parts[1])) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | NumberFormatException e) {
            System.getLogger(DictFiles.class.getName()).log(System.Logger.Level.DEBUG, "sweep of " + DIRECTORY + " skipped", e);
        }
    }

    private static boolean alive(long pid, String startTime) {
        return startTime.equals(startTime(pid));
    }

    /** Field 22 of /proc/pid/stat (start time), or "dead" for a missing or zombie process. */
    static String startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return fields[0].equals("Z") ? "dead" : fields[19];
        } catch (IOException | RuntimeException e) {
            return "dead";
        }
    }
}
