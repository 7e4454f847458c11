"""The timing loop and output format shared by the CPython twin scripts (``*_bench.py``).

Not a benchmark itself: the runner (io.github.pyconcurrent.benchmarks.CpythonTwins) extracts it
next to the scripts, so ``import _pybench`` works there as when a script is run standalone from
any directory (Python puts the script's own directory first on ``sys.path``), but it does not run
files whose name starts with ``_``.

Each figure is the median of REPEATS timed calls of ``run(n)``, with ``n`` calibrated so that one
call takes about ``seconds``. The loop's own overhead is included, as with ``timeit``; the Java
side likewise includes JMH's.
"""
import os
import statistics
import time

# The runner's smoke mode (./run bench --smoke) shortens both through the environment.
REPEATS = int(os.environ.get("PYBENCH_REPEATS", "5"))
REPEAT_SECONDS = float(os.environ.get("PYBENCH_SECONDS", "0.06"))
CALIBRATION_NS = 10_000_000
MAX_N = 1 << 24


def measure(run, ops_per_call=1, *, max_n=MAX_N, seconds=REPEAT_SECONDS, calibration_ns=CALIBRATION_NS):
    """Median ns per operation of ``run(n)``, which performs ``n * ops_per_call`` operations.

    ``n`` grows by 4 from 1 until one call takes over ``calibration_ns`` (or reaches ``max_n``),
    then is scaled to take about ``seconds`` per call, never above ``max_n``.
    """
    n = 1
    while True:  # calibrate: grow n until one call takes a measurable while
        t0 = time.perf_counter_ns()
        run(n)
        elapsed = time.perf_counter_ns() - t0
        if elapsed > calibration_ns or n >= max_n:
            break
        n *= 4
    n = max(1, min(max_n, int(n * seconds * 1e9 / max(elapsed, 1))))
    samples = []
    for _ in range(REPEATS):
        t0 = time.perf_counter_ns()
        run(n)
        samples.append((time.perf_counter_ns() - t0) / (n * ops_per_call))
    return statistics.median(samples)


def report(key, nanos_per_op):
    """Prints one figure in the runner's format, ``key<TAB>nanoseconds-per-op``, at once."""
    print(f"{key}\t{nanos_per_op:.1f}", flush=True)


def measure_all(benchmarks):
    """Measures and reports each ``(key, run, ops_per_call)`` of ``benchmarks`` in order."""
    for key, run, ops_per_call in benchmarks:
        report(key, measure(run, ops_per_call))
