"""CPython twin of pyconcurrent's SharedDict benchmark (io.github.pyconcurrent.benchmarks.shared.SharedDictBenchmark).

Prints one line per measurement, ``key<TAB>nanoseconds-per-op``; the keys are what the Java
benchmark's ``@Versus(cpython = ...)`` names. ``d[k]`` and ``d[k] = v`` on a
``multiprocessing.Manager().dict()`` proxy over 1,024 int keys that are all present, as the Java
side. Each figure is the median of several timed repeats (``_pybench.measure``) of a loop sized
to take about REPEAT_SECONDS; the loop's own overhead is included, as with ``timeit``.
"""
# covers: shared
from multiprocessing import Manager

from _pybench import measure, report

# A proxy call is a round trip to the manager process (tens of microseconds): longer repeats and
# calibration than the in-process scripts' defaults, so that each figure averages enough calls.
REPEAT_SECONDS = 0.2
CALIBRATION_NS = 20_000_000
MAX_N = 1 << 20
KEYS = 1024


def measure_proxy(run):
    """Median ns per ``d[k]`` or ``d[k] = v`` of ``run(n)``, which performs ``n`` of them."""
    return measure(run, max_n=MAX_N, seconds=REPEAT_SECONDS, calibration_ns=CALIBRATION_NS)


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

        report("Manager().dict() get", measure_proxy(get))
        report("Manager().dict() put", measure_proxy(put))


if __name__ == "__main__":
    main()
