package io.github.pyconcurrent.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Manager's list, value, lock, rlock and event: Python's manager.list() / Value() / Lock() / RLock() / Event(). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ManagerTest extends ManagerTestBase {
    @Test
    void listBehavesAsAPythonList() {
        SharedList<String> li = manager.list(String.class);
        assertTrue(li.isEmpty());
        li.add("b");
        li.add("c");
        li.add(0, "a");
        li.addAll(List.of("d", "e"));
        assertEquals(List.of("a", "b", "c", "d", "e"), li);
        assertEquals("e", li.pop());
        assertEquals("a", li.set(0, "z"));
        assertTrue(li.remove("b"));
        assertEquals(1, li.indexOf("c"));
        li.sort(Comparator.naturalOrder());
        assertEquals(List.of("c", "d", "z"), new ArrayList<>(li));
        assertEquals("[c, d, z]", li.toString());
        li.clear();
        assertThrows(IndexOutOfBoundsException.class, li::pop);
        assertThrows(IndexOutOfBoundsException.class, () -> li.get(0));
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void listRejectsElementsOfAnotherClass() {
        SharedList raw = manager.list(Integer.class);
        assertThrows(ClassCastException.class, () -> raw.add("not an Integer"));
        assertTrue(raw.isEmpty());
    }

    @Test
    void listTooLargeNamesTheOptionToRaise() {
        SharedList<byte[]> li = manager.list(byte[].class, DictOptions.defaults().entries(1).averageValueSize(1024));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            for (int i = 0; i < 10_000; i++) {
                li.add(new byte[1024]);
            }
        });
        assertTrue(e.getMessage().contains("DictOptions.averageValueSize(double)"), e.getMessage());
    }

    /** Two JVMs append to one list at the same time: every append lands (each is atomic). */
    @Test
    void twoJvmsAppendToOneList() {
        SharedList<Integer> li = manager.list(Integer.class);
        Event go = manager.event();
        int perChild = 300;
        ChildJvm.Task appender = () -> {
            System.out.println("ready");
            if (!go.waitFor(Duration.ofSeconds(60))) {
                throw new AssertionError("no go signal");
            }
            for (int i = 0; i < perChild; i++) {
                li.add(i);
            }
        };
        try (ChildJvm a = ChildJvm.run(appender); ChildJvm b = ChildJvm.run(appender)) {
            assertTrue(a.awaitOutput("ready", CHILD_TIMEOUT), a::output);
            assertTrue(b.awaitOutput("ready", CHILD_TIMEOUT), b::output);
            go.set();
            assertEquals(0, a.waitFor(CHILD_TIMEOUT), a::output);
            assertEquals(0, b.waitFor(CHILD_TIMEOUT), b::output);
        }
        assertEquals(2 * perChild, li.size());
        assertEquals(2, li.stream().filter(x -> x == perChild - 1).count());
    }

    /** manager.Value / Lock / RLock / Event are this package's process-shared types, shared with a child. */
    @Test
    void valueLockRLockAndEventAreShared() {
        Value counter = manager.value('i', 0);
        Lock lock = manager.lock();
        RLock rlock = manager.rlock();
        Event done = manager.event();
        try (ChildJvm child = ChildJvm.run(() -> {
            for (int i = 0; i < 1_000; i++) {
                try (var held = lock.hold(); var again = rlock.hold(); var twice = rlock.hold()) {
                    counter.setInt(counter.getInt() + 1);
                }
            }
            done.set();
        })) {
            for (int i = 0; i < 1_000; i++) {
                try (var held = lock.hold()) {
                    counter.setInt(counter.getInt() + 1);
                }
            }
            assertTrue(done.waitFor(CHILD_TIMEOUT), child::output);
            assertEquals(0, child.waitFor(CHILD_TIMEOUT), child::output);
        }
        assertEquals(2_000, counter.getInt(), "every increment was made under the shared lock");
        assertFalse(lock.locked());
        assertFalse(rlock.locked());
    }

    @Test
    void nothingIsMadeAfterShutdown() {
        manager.shutdown();
        assertThrows(IllegalStateException.class, () -> manager.list(Integer.class));
        assertThrows(IllegalStateException.class, manager::lock);
        assertThrows(IllegalStateException.class, manager::rlock);
        assertThrows(IllegalStateException.class, manager::event);
        assertThrows(IllegalStateException.class, () -> manager.value('i', 0));
    }
}
