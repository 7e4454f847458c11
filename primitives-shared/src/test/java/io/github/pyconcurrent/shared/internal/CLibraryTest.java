package io.github.pyconcurrent.shared.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libc is loaded by its soname, and a child JVM is told JNA's search path so that it skips ldconfig. */
class CLibraryTest {

    @Test
    void theSearchPathIsTheDirectoryLibcWasMappedFromThenTheSystemOnes(@TempDir Path dir) throws Exception {
        Path maps = dir.resolve("maps");
        Files.writeString(maps, String.join("\n",
                "7f0000000000-7f0000001000 r--p 00000000 08:01 1234   /usr/lib/x86_64-linux-gnu/libc.so.6",
                "7f0000001000-7f0000002000 r-xp 00001000 08:01 1234   /usr/lib/x86_64-linux-gnu/libc.so.6",
                "7f0000003000-7f0000004000 r--p 00000000 08:01 99     /usr/lib/jvm/lib/server/libjvm.so",
                "7ffd00000000-7ffd00001000 rw-p 00000000 00:00 0      [stack]"));
        assertEquals("/usr/lib/x86_64-linux-gnu:/usr/lib:/lib", CLibrary.searchPathFromMaps(maps));
    }

    @Test
    void noMappedLibcMeansNoOption(@TempDir Path dir) throws Exception {
        Path maps = dir.resolve("maps");
        Files.writeString(maps, "7ffd00000000-7ffd00001000 rw-p 00000000 00:00 0 [stack]\n");
        assertNull(CLibrary.searchPathFromMaps(maps));
        assertNull(CLibrary.searchPathFromMaps(dir.resolve("missing")));
    }

    @Test
    void thisJvmHasLibcAndAChildOption() {
        assertNotNull(CLibrary.get().getFunction("getpid"));
        String option = CLibrary.childSearchPathOption();
        assertNotNull(option);
        assertTrue(option.startsWith("-D" + CLibrary.SEARCH_PATH_PROPERTY + "="), option);
    }
}
