package io.github.pyconcurrent.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The load rows from the load passes' figures: who is paired with whom, and how the ratios read. */
class LoadRowsTest {
    private static final LoadRows.Budget ONE_PASS = new LoadRows.Budget(Duration.ZERO, Duration.ofSeconds(1),
            List.of(64), 0, 0, 0, List.of(LoadRows.VIRTUAL, LoadRows.NETTY, LoadRows.CPY_THREADING));

    private static List<ComparisonRow> rows() {
        return LoadRows.rows(ONE_PASS, Map.of(
                "virtual 64 req/s", 50_000.0, "netty 64 req/s", 100_000.0, "cpython-threading 64 req/s", 25_000.0,
                "virtual 64 cpu", 20_000.0, "netty 64 cpu", 10_000.0, "cpython-threading 64 cpu", 80_000.0));
    }

    @Test
    void oursIsPairedWithNettyAndCpythonsThreadingServerAndNettyStandsAlone() {
        ComparisonRow rate = rows().stream().filter(r -> r.label().startsWith("VirtualThreadingTCPServer, throughput"))
                .findFirst().orElseThrow();
        assertEquals(LoadRows.RATE, rate.ours().unit());
        assertEquals(0.5, rate.ratioToJdk());
        assertEquals(2.0, rate.ratioToCpython());
        assertEquals("Netty echo (NIO)", rate.baselineName(), "the table names the baseline server, not its internal key");
        ComparisonRow netty = rows().stream().filter(r -> r.label().startsWith("Netty echo (NIO), throughput"))
                .findFirst().orElseThrow();
        assertTrue(netty.contextOnly());
        assertNull(LoadRows.rows(ONE_PASS, Map.of()).get(0).ours(), "a server that gave no figure shows as failed");
    }

    /** Every load row's baseline is named by its server's label, whatever the pass. */
    @Test
    void baselinesReadAsServerNames() {
        assertEquals("Netty echo (NIO)", LoadRows.baselineLabel(LoadRows.CLASS + "load2_cpu_p0064_netty"));
        assertEquals("JDK server, platform thread per connection", LoadRows.baselineLabel(LoadRows.CLASS + "load3_connect_jdk-platform"));
    }

    @Test
    void moreRequestsPerSecondReadsFasterAndLessCpuReadsLess() {
        String text = ComparisonTable.build(List.of(), Map.of(), new VersusCatalog(getClass().getClassLoader()), Map.of())
                .with(rows()).toText();
        assertTrue(text.contains("2.0x faster"), text);   // 50k req/s against CPython's 25k
        assertTrue(text.contains("4.0x less CPU"), text); // 20 us against CPython's 80 us
    }
}
