"""CPython twins of pyconcurrent's concurrent.futures benchmarks (io.github.pyconcurrent.benchmarks.futures).

Prints one line per measurement, ``key<TAB>nanoseconds-per-op``; the keys are what the Java
benchmarks' ``@Versus(cpython = ...)`` name.

* ``ThreadPoolExecutor(WORKERS)`` and ``ProcessPoolExecutor(WORKERS)`` (the default context),
  each used once per worker first: ``submit(f).result()`` round trip of a trivial function (per
  call), and TASKS trivial submits consumed through ``as_completed`` (per task); each figure is
  the median of ``_pybench.measure``'s repeats.
"""
# covers: futures
import concurrent.futures
import sys

from _pybench import measure, report

WORKERS = 2
TASKS = 10_000


def _one():
    return 1


def round_trips(executor):
    def run(n):
        for _ in range(n):
            executor.submit(_one).result()
    return run


def as_completed(executor):
    def run(n):
        for _ in range(n):
            fs = [executor.submit(_one) for _ in range(TASKS)]
            total = 0
            for f in concurrent.futures.as_completed(fs):
                total += f.result()
            assert total == TASKS
    return run


def main():
    for name, make in (("ThreadPoolExecutor", concurrent.futures.ThreadPoolExecutor),
                       ("ProcessPoolExecutor", concurrent.futures.ProcessPoolExecutor)):
        with make(WORKERS) as executor:
            list(executor.map(_one_arg, range(4 * WORKERS)))  # every worker started and used once
            key = "concurrent.futures." + name
            report(f"{key} submit+result round trip", measure(round_trips(executor)))
            report(f"{key} as_completed, per task", measure(as_completed(executor), TASKS))
    return 0


def _one_arg(x):
    return x


if __name__ == "__main__":
    sys.exit(main())
