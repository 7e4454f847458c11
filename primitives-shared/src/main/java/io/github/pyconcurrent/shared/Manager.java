package io.github.pyconcurrent.shared;

import io.github.pyconcurrent.shared.internal.ShmRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code multiprocessing.Manager()}: the factory and owner of shared objects that other
 * processes (JVMs) attach to. Where Python starts a server process and hands out proxies that
 * talk to it over a socket, a Manager here starts nothing: each object it makes lives in shared
 * memory (/dev/shm) and every process works on it directly. What the Manager keeps is ownership:
 * its {@link #shutdown()} (or {@link #close()}, or at the latest its JVM's exit) deletes the
 * files of the dicts and lists it made. Its locks, events and values are this package's own
 * process-shared objects ({@link Lock}, {@link RLock}, {@link Event}, {@link Value}); the manager
 * keeps them alive until shutdown, after which they follow their own lifecycle (unlinked when
 * garbage in this JVM, or when it exits). The files follow the toolkit's /dev/shm ownership convention
 * ({@link ShmRegistry}): named after the creating JVM, mode 0600, swept when that JVM was killed.
 *
 * <pre>{@code
 * try (Manager manager = Manager.start()) {
 *     SharedDict<Integer, Integer> dic = manager.dict(Integer.class, Integer.class);
 *     // pass dic to other processes; each of them attaches to the same dict
 * }   // shutdown: the dict's file is deleted
 * }</pre>
 *
 * <p>Python's counterpart: {@code with Manager() as manager: d = manager.dict()}. Deliberate
 * differences: a dict is typed ({@code dict(Integer.class, Integer.class)}) and has a capacity
 * ({@link DictOptions}); Python's dict is untyped and grows inside the server process.
 */
public final class Manager implements AutoCloseable {
    static {
        ChronicleSupport.init();
    }

    /** Default sizing of a list: one entry, the whole list, of up to about 64 KiB serialized. */
    private static final DictOptions LIST_DEFAULTS = DictOptions.defaults().entries(1).averageValueSize(64 * 1024);

    /** Dicts (also those behind lists) made by this manager, with their files; guarded by this. */
    private final List<SharedDict<?, ?>> dicts = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();
    /**
     * Locks, events and values made by this manager: held here so that they live (their segments
     * stay linked) until shutdown, as a Python manager's objects live until it stops; guarded by this.
     */
    private final List<Object> primitives = new ArrayList<>();
    /** Set once by shutdown; guarded by this. */
    private boolean shutdown;

    private Manager() {}

    /**
     * Starts a manager (Python: {@code Manager()} / {@code SyncManager.start()}). Also deletes
     * files left in /dev/shm by managers whose JVM was killed.
     *
     * @return a running manager
     */
    public static Manager start() {
        ShmRegistry.sweep();
        return new Manager();
    }

    /**
     * A shared dict with the default capacity ({@link DictOptions#defaults()}).
     *
     * @param <K> the type of the keys
     * @param <V> the type of the values
     * @param keyClass the class of the keys
     * @param valueClass the class of the values
     * @return a new, empty shared dict, closed with this manager
     * @throws IllegalStateException if the manager has been shut down
     */
    public <K, V> SharedDict<K, V> dict(Class<K> keyClass, Class<V> valueClass) {
        return dict(keyClass, valueClass, DictOptions.defaults());
    }

    /**
     * A shared dict sized by {@code options}.
     *
     * @param <K> the type of the keys
     * @param <V> the type of the values
     * @param keyClass the class of the keys
     * @param valueClass the class of the values
     * @param options the capacity, average sizes and deserialization filter
     * @return a new, empty shared dict, closed with this manager
     * @throws IllegalStateException if the manager has been shut down
     */
    public synchronized <K, V> SharedDict<K, V> dict(Class<K> keyClass, Class<V> valueClass, DictOptions options) {
        checkRunning();
        Path file = ShmRegistry.newOwnedPath("dict");
        try {
            SharedDict<K, V> dict = SharedDict.create(file.toFile(), keyClass, valueClass, options);
            dicts.add(dict);
            files.add(file);
            files.add(dict.stripesFile());
            return dict;
        } catch (RuntimeException | Error e) {
            ShmRegistry.unlink(file);
            throw e;
        }
    }

    /**
     * A shared list (Python: {@code manager.list()}); its whole contents may take about 64 KiB
     * serialized (see {@link #list(Class, DictOptions)} for more).
     *
     * @param <T> the type of the elements
     * @param elementClass the class of the elements
     * @return a new, empty shared list, closed with this manager
     * @throws IllegalStateException if the manager has been shut down
     */
    public <T> SharedList<T> list(Class<T> elementClass) {
        return list(elementClass, LIST_DEFAULTS);
    }

    /**
     * A shared list whose serialized contents may take about {@code options.averageValueSize()}
     * bytes (a larger list fails with a message naming that option).
     *
     * @param <T> the type of the elements
     * @param elementClass the class of the elements
     * @param options {@code averageValueSize} bounds the serialized size of the whole list; the filter admits its elements
     * @return a new, empty shared list, closed with this manager
     * @throws IllegalStateException if the manager has been shut down
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T> SharedList<T> list(Class<T> elementClass, DictOptions options) {
        SharedDict<Integer, ArrayList<T>> store = (SharedDict) dict(Integer.class, ArrayList.class,
                SharedList.options(elementClass, options));
        return new SharedList<>(store, elementClass);
    }

    /**
     * A process-shared number with its lock (Python: {@code manager.Value(typecode, value)}).
     *
     * @param typecode the type, as Python's {@code array} module names it ({@code 'i'}, {@code 'd'}, ...)
     * @param initial the value at the start
     * @return a new process-shared value, closed with this manager
     * @throws IllegalStateException if the manager has been shut down
     * @throws IllegalArgumentException if {@code typecode} is unknown, or {@code initial} is a float for an integral type code
     */
    public synchronized Value value(char typecode, Number initial) {
        checkRunning();
        return keep(Value.of(typecode, initial));
    }

    /**
     * A process-shared lock (Python: {@code manager.Lock()}).
     *
     * @return a new process-shared lock, closed with this manager
     * @throws IllegalStateException if the manager has been shut down
     */
    public synchronized Lock lock() {
        checkRunning();
        return keep(new Lock());
    }

    /**
     * A process-shared re-entrant lock (Python: {@code manager.RLock()}).
     *
     * @return a new process-shared re-entrant lock, closed with this manager
     * @throws IllegalStateException if the manager has been shut down
     */
    public synchronized RLock rlock() {
        checkRunning();
        return keep(new RLock());
    }

    /**
     * A process-shared event (Python: {@code manager.Event()}).
     *
     * @return a new process-shared event, closed with this manager
     * @throws IllegalStateException if the manager has been shut down
     */
    public synchronized Event event() {
        checkRunning();
        return keep(new Event());
    }

    private <T> T keep(T primitive) {
        primitives.add(primitive);
        return primitive;
    }

    /**
     * Whether {@link #shutdown()} has been called.
     *
     * @return true once {@link #shutdown()} has been called
     */
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    /**
     * Detaches this JVM from every object this manager made and deletes their files; idempotent.
     * Other JVMs still attached keep their mapping until they close it, but nothing new can
     * attach (Python: the manager's server process stops and its proxies stop working).
     */
    public synchronized void shutdown() {
        if (shutdown) {
            return;
        }
        shutdown = true;
        for (SharedDict<?, ?> dict : dicts) {
            dict.close();
        }
        files.forEach(ShmRegistry::unlink);
        dicts.clear();
        files.clear();
        // released to their own lifecycle: unlinked once garbage here, or at this JVM's exit
        primitives.clear();
    }

    /** Same as {@link #shutdown()}; throws nothing. */
    @Override
    public void close() {
        shutdown();
    }

    private void checkRunning() {
        if (shutdown) {
            throw new IllegalStateException("this Manager has been shut down");
        }
    }
}
