package io.github.pyconcurrent.threading;

import static io.github.pyconcurrent.threading.suites.Blocking.async;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Python's threading.local: one value per thread. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalTest {

    @Test
    @DisplayName("each thread sees only the value it set; unset reads null")
    void perThread() {
        Local<String> local = new Local<>();
        assertNull(local.get());
        local.set("main");
        assertNull(async(local::get).get());
        assertEquals("other", async(() -> {
            local.set("other");
            return local.get();
        }).get());
        assertEquals("main", local.get());
        local.remove();
        assertNull(local.get());
    }

    @Test
    @DisplayName("withInitial computes the initial value once per thread, on first access")
    void withInitial() {
        AtomicInteger made = new AtomicInteger();
        Local<Integer> local = Local.withInitial(made::incrementAndGet);
        int mine = local.get();
        assertEquals(mine, local.get());
        int theirs = async(local::get).get();
        assertEquals(2, made.get());
        assertEquals(3 - mine, theirs);
    }
}
