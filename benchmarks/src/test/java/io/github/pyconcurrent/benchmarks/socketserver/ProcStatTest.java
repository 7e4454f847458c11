package io.github.pyconcurrent.benchmarks.socketserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading CPU time and resident set out of /proc/PID, as the load rows do. */
class ProcStatTest {

    @Test
    void cpuTicksAreUtimePlusStimeFields14And15() {
        String line = "4242 (java) S 1 4242 4242 0 -1 4194560 9170 0 0 0 137 25 0 0 20 0 31 0 1234 0 0";
        assertEquals(162, ProcStat.cpuTicks(line));
    }

    @Test
    void aCommandWithSpacesAndParenthesesDoesNotShiftTheFields() {
        String line = "7 (a (b) c) R 1 7 7 0 -1 0 0 0 0 0 11 4 0 0 20 0 1 0 99 0 0";
        assertEquals(15, ProcStat.cpuTicks(line));
    }

    @Test
    void aMalformedLineIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ProcStat.cpuTicks("no parenthesis here"));
        assertThrows(IllegalArgumentException.class, () -> ProcStat.cpuTicks("1 (x) S 1 2"));
    }

    @Test
    void thisProcessHasCpuTimeAndAResidentSet() {
        long pid = ProcessHandle.current().pid();
        assertTrue(ProcStat.cpuTicks(pid) >= 0);
        assertTrue(ProcStat.rssBytes(pid) > 0);
    }

    @Test
    void vmRssIsReadInKilobytesAndGivenInBytes() {
        assertEquals(2048.0 * 1024, ProcStat.rssBytes(List.of("Name:\tjava", "VmRSS:\t    2048 kB", "Threads:\t3")));
        assertTrue(Double.isNaN(ProcStat.rssBytes(List.of("Name:\tjava"))));
    }

    @Test
    void ticksAreHundredthsOfASecond() {
        assertEquals(20_000_000.0, ProcStat.ticksToNanos(2));
    }
}
