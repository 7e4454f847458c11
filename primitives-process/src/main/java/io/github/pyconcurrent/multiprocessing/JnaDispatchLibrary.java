package io.github.pyconcurrent.multiprocessing;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * JNA's native half ({@code libjnidispatch.so}), extracted once per user into the cache beside the
 * {@link ClassDataCache}'s archives, so that a child JVM loads it from there instead of extracting
 * it from the JNA jar into a fresh temporary file, as every JVM does by default (a
 * {@code createTempFile}, which loads and seeds {@code SecureRandom}, and a copy). Measured with
 * {@code perf stat -e task-clock} on a JVM that loads JNA and registers its C library, 6 runs
 * each: median 273 ms of CPU with {@code -Djna.boot.library.path} against 317 ms without;
 * {@code Native}'s class initialization 80 ms against 130 ms.
 *
 * <p>The file lives in a directory named by JNA's native version and platform, so a JNA upgrade
 * gets a new one (JNA refuses a dispatch library of another version); it is written to a file of
 * its own and renamed into place, so no child ever sees half of it; one of another size than JNA's
 * own copy is replaced before a child is told of it. (A file JNA cannot load there costs a JVM
 * warning and nothing else: JNA then extracts its own copy.) The same switches as the
 * archive's turn it off or move it.
 */
final class JnaDispatchLibrary {
    private static final System.Logger LOG = System.getLogger(JnaDispatchLibrary.class.getName());
    /** Where JNA looks for its dispatch library before it extracts one. */
    static final String BOOT_PATH_PROPERTY = "jna.boot.library.path";

    private JnaDispatchLibrary() {}

    /** The directory for this JNA version and platform under the cache {@code root}. */
    static Path directory(Path root) {
        return root.resolve("jna").resolve(Native.VERSION_NATIVE + "-" + Platform.RESOURCE_PREFIX);
    }

    /** Whether {@code file} is there with the size of JNA's own copy (a truncated or foreign file is replaced). */
    private static boolean sameSize(Path file, URL resource) {
        try {
            return Files.isRegularFile(file) && Files.size(file) == resource.openConnection().getContentLengthLong();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * {@code -Djna.boot.library.path=<dir>} for a child when the library is in place there (after
     * extracting it, if {@code extract}), else an empty list. Reads JNA's jar when it extracts:
     * call it so off the critical path.
     */
    static List<String> childOptions(Path root, boolean extract) {
        if (System.getProperty(BOOT_PATH_PROPERTY) != null) {
            return List.of(); // the user's own: passed on with this JVM's other -D options
        }
        Path dir = directory(root);
        Path file = dir.resolve(System.mapLibraryName("jnidispatch"));
        URL resource = Native.class.getResource("/com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + file.getFileName());
        if (resource == null) {
            return List.of(); // JNA found its library elsewhere (a system package): nothing to extract
        }
        if (sameSize(file, resource)) {
            return List.of("-D" + BOOT_PATH_PROPERTY + "=" + dir);
        }
        if (!extract) {
            return List.of();
        }
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "jnidispatch", ".tmp");
            try (InputStream in = resource.openStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return List.of("-D" + BOOT_PATH_PROPERTY + "=" + dir);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "cannot extract JNA's dispatch library into " + dir + "; children extract their own", e);
            return List.of();
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "cannot delete " + tmp, e);
                }
            }
        }
    }
}
