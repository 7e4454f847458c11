"""CPython twin of pyconcurrent's SharedDict benchmark (io.github.pyconcurrent.benchmarks.shared.SharedDictBenchmark).

Prints one line per measurement, ``key<TAB>nanoseconds-per-op``; the keys are what the Java
benchmark's ``@Versus(cpython = ...)`` names. ``d[k]`` and ``d[k] = v`` on a
``multiprocessing.Manager().dict()`` proxy over 1,024 int keys that are all present, as the Java
side. Each figure is the median of several timed repeats of a loop sized to take about
REPEAT_SECONDS; the loop's own overhead is included, as with ``timeit``.
"""
import statistics
import time
from multiprocessing import Manager

REPEATS = 5
REPEAT_SECONDS = 0.2
KEYS = 1024


def measure(run):
    """Median ns per operation of ``run(n)``, which performs ``n`` operations."""
    n = 1
    while True:  # calibrate: grow n until one call takes a measurable while
        t0 = time.perf_counter_ns()
        run(n)
        elapsed = time.perf_counter_ns() - t0
        if elapsed > 20_000_000 or n >= 1 << 20:
            break
        n *= 4
    n = max(1, int(n * REPEAT_SECONDS * 1e9 / max(elapsed, 1)))
    samples = []
    for _ in range(REPEATS):
        t0 = time.perf_counter_ns()
        run(n)
        samples.append((time.perf_counter_ns() - t0) / n)
    return statistics.median(samples)


def main():
    with Manager() as manager:
        d = manager.dict()
        keys = [1_000_000 + i for i in range(KEYS)]
        values = [2_000_000 + i for i in range(KEYS)]
        for k, v in zip(keys, values):
            d[k] = v

        def get(n):
            for i in range(n):
                d[keys[i & (KEYS - 1)]]

        def put(n):
            for i in range(n):
                j = i & (KEYS - 1)
                d[keys[j]] = values[j]

        print(f"Manager().dict() get\t{measure(get):.1f}", flush=True)
        print(f"Manager().dict() put\t{measure(put):.1f}", flush=True)


if __name__ == "__main__":
    main()
