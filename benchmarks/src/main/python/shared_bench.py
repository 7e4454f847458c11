"""CPython twins of pyconcurrent's shared-memory benchmarks (io.github.pyconcurrent.benchmarks.shared).

Prints one line per measurement, ``key<TAB>nanoseconds-per-op``; the keys are what the Java
benchmarks' ``@Versus(cpython = ...)`` name. Single-process figures are the median of several
timed repeats of a loop sized to take about 60 ms (``_pybench.measure``; loop overhead included,
as with ``timeit``). The two-process figure is per increment: two processes each do INCREMENTS
``with a.get_lock(): a[0] += 1`` at the same time (they start together at a Barrier); the time
runs from the barrier to both processes having finished (process start-up is excluded, exit is
not). The whole script takes a few seconds.
"""
# covers: shared
import multiprocessing
import statistics
import sys
import time

from _pybench import measure_all, report

INCREMENTS = 100_000


def lock_acquire_release(n, kind=multiprocessing.Lock):
    lock = kind()
    for _ in range(n):
        lock.acquire()
        lock.release()


def lock_with(n):
    lock = multiprocessing.Lock()
    for _ in range(n):
        with lock:
            pass


def rlock_acquire_release(n):
    lock_acquire_release(n, multiprocessing.RLock)


def semaphore_acquire_release(n):
    lock_acquire_release(n, lambda: multiprocessing.Semaphore(1))


def array_increment_under_lock(n):
    a = multiprocessing.Array('i', 4)
    lock = a.get_lock()
    for _ in range(n):
        lock.acquire()
        a[1] += 1
        lock.release()


def array_increment_with(n):
    a = multiprocessing.Array('i', 4)
    for _ in range(n):
        with a.get_lock():
            a[1] += 1


def value_increment_under_lock(n):
    v = multiprocessing.Value('i', 0)
    for _ in range(n):
        with v.get_lock():
            v.value += 1


def raw_array_increment(n):
    a = multiprocessing.Array('i', 4, lock=False)
    for _ in range(n):
        a[2] += 1


def _incrementer(a, start):
    start.wait()
    lock = a.get_lock()
    for _ in range(INCREMENTS):
        with lock:
            a[0] += 1


def two_processes_increment_under_lock():
    """ns per increment of 2 processes x INCREMENTS increments of one element under its lock."""
    samples = []
    for _ in range(3):
        a = multiprocessing.Array('i', 1)
        start = multiprocessing.Barrier(3)
        procs = [multiprocessing.Process(target=_incrementer, args=(a, start)) for _ in range(2)]
        for p in procs:
            p.start()
        start.wait()
        t0 = time.perf_counter_ns()
        for p in procs:
            p.join()
        elapsed = time.perf_counter_ns() - t0
        if a[0] != 2 * INCREMENTS:
            raise AssertionError(f"lost updates: {a[0]}")
        samples.append(elapsed / (2 * INCREMENTS))
    return statistics.median(samples)


BENCHMARKS = [
    ("multiprocessing.Lock acquire+release", lock_acquire_release, 1),
    ("multiprocessing.Lock with", lock_with, 1),
    ("multiprocessing.RLock acquire+release", rlock_acquire_release, 1),
    ("multiprocessing.Semaphore acquire+release", semaphore_acquire_release, 1),
    ("multiprocessing.Array increment under lock", array_increment_under_lock, 1),
    ("multiprocessing.Array increment with-block", array_increment_with, 1),
    ("multiprocessing.Value increment under lock", value_increment_under_lock, 1),
    ("multiprocessing.Array increment lock=False", raw_array_increment, 1),
]


def main():
    measure_all(BENCHMARKS)
    report("multiprocessing 2 processes increment under lock", two_processes_increment_under_lock())
    return 0


if __name__ == "__main__":
    sys.exit(main())
