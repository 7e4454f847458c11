package io.github.pyconcurrent.benchmarks.shared;

import io.github.pyconcurrent.benchmarks.Versus;
import io.github.pyconcurrent.shared.DictOptions;
import io.github.pyconcurrent.shared.Manager;
import io.github.pyconcurrent.shared.SharedDict;
import java.util.concurrent.ConcurrentHashMap;
import java.lang.reflect.Method;
import net.openhft.chronicle.map.ChronicleMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link SharedDict} get and put (Python's {@code d[k]} and {@code d[k] = v} on a
 * {@code Manager().dict()}) against {@link ConcurrentHashMap}, single-threaded, over 1,024
 * Integer keys that are all present (so put replaces and returns the previous value, as
 * {@code Map.put} must).
 *
 * <p>The keys and values are pre-boxed so the figures are the map's, not {@code Integer.valueOf}'s;
 * a SharedDict get still boxes the value it reads out of shared memory (a new Integer outside the
 * small-integer cache), which is part of its cost. CPython's twin (manager_bench.py) pays a round
 * trip to the manager's server process per operation.
 *
 * <p>{@code chronicleGet} and {@code chroniclePut} are a floor, not a baseline of the comparison
 * table: Chronicle Map's own get and put on the very map behind the dict, without SharedDict's
 * segment stripe and journal (what a dict operation cost before it healed itself after a killed
 * process). The ratio of get to chronicleGet in one run is the cost of the healing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SharedDictBenchmark {
    private static final int KEYS = 1_024; // a power of two: the index is masked, not divided

    private final Integer[] keys = new Integer[KEYS];
    private final Integer[] values = new Integer[KEYS];
    private final ConcurrentHashMap<Integer, Integer> concurrentHashMap = new ConcurrentHashMap<>();
    private Manager manager;
    private SharedDict<Integer, Integer> dict;
    private ChronicleMap<Integer, Integer> chronicle;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        manager = Manager.start();
        dict = manager.dict(Integer.class, Integer.class, DictOptions.defaults().entries(4 * KEYS));
        for (int i = 0; i < KEYS; i++) {
            keys[i] = 1_000_000 + i;
            values[i] = 2_000_000 + i;
            dict.put(keys[i], values[i]);
            concurrentHashMap.put(keys[i], values[i]);
        }
        chronicle = chronicleMapOf(dict);
    }

    /** The dict's own Chronicle map (package-private in SharedDict: a test and benchmark hook). */
    @SuppressWarnings("unchecked")
    private static ChronicleMap<Integer, Integer> chronicleMapOf(SharedDict<Integer, Integer> dict) {
        try {
            Method m = SharedDict.class.getDeclaredMethod("chronicleMap");
            m.setAccessible(true);
            return (ChronicleMap<Integer, Integer>) m.invoke(dict);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.shutdown();
    }

    private int nextIndex() {
        return next = (next + 1) & (KEYS - 1);
    }

    @Benchmark
    @Versus(jdk = "concurrentHashMapGet", cpython = "Manager().dict() get", label = "SharedDict get")
    public Integer get() {
        return dict.get(keys[nextIndex()]);
    }

    @Benchmark
    @Versus(jdk = "concurrentHashMapPut", cpython = "Manager().dict() put", label = "SharedDict put")
    public Integer put() {
        int i = nextIndex();
        return dict.put(keys[i], values[i]);
    }

    @Benchmark
    public Integer concurrentHashMapGet() {
        return concurrentHashMap.get(keys[nextIndex()]);
    }

    @Benchmark
    public Integer concurrentHashMapPut() {
        int i = nextIndex();
        return concurrentHashMap.put(keys[i], values[i]);
    }

    /** Floor: Chronicle Map's own get on the dict's map, no stripe (the pre-healing get). */
    @Benchmark
    public Integer chronicleGet() {
        return chronicle.get(keys[nextIndex()]);
    }

    /** Floor: Chronicle Map's own put on the dict's map, no stripe, no journal (the pre-healing put). */
    @Benchmark
    public Integer chroniclePut() {
        int i = nextIndex();
        return chronicle.put(keys[i], values[i]);
    }
}
