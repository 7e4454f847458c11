"""CPython twins of pyconcurrent's multiprocessing benchmarks (io.github.pyconcurrent.benchmarks.multiprocessing).

Prints one line per measurement, ``key<TAB>nanoseconds-per-op``; the keys are what the Java
benchmarks' ``@Versus(cpython = ...)`` name.

* Process start until the target runs, for the ``fork``, ``forkserver`` and ``spawn`` contexts:
  from before ``p.start()`` to the parent seeing the ``multiprocessing.Event`` that the target
  sets as its first action; the Process object is made before, and the process joined after,
  the timed span (as ProcessStartBenchmark). The first starts of each context are not counted
  (the forkserver's server process starts then). Median of START_SAMPLES.
* A ``Pool(WORKERS)`` of the default context (fork on Linux), used first: ``apply`` round trip of
  a trivial function, each call timed, p50 and p99 of APPLY_SAMPLES; the first ``apply`` after
  the pool idled 300 ms (median of IDLE_SAMPLES); ``apply_async`` of TASKS trivial calls each with
  a callback, until every callback ran, per task (median of REPEATS); ``map`` of ``x * 2`` over
  100,000 ints with the default chunk size, per map (median of REPEATS).
* Queue put+get and Pipe send+recv round trips: a child process echoes what it receives (through
  a second Queue, or back through the duplex Pipe); per round trip, median of REPEATS runs of
  ROUND_TRIPS after a warm-up (as MessagingBenchmark).

The whole script takes about 10-20 s.
"""
# covers: multiprocessing
import math
import multiprocessing
import statistics
import sys
import threading
import time

from _pybench import report

WORKERS = 2
START_SAMPLES = {"fork": 30, "forkserver": 30, "spawn": 10}
START_UNCOUNTED = 2
APPLY_SAMPLES = 3000
IDLE_SAMPLES = 10
IDLE_SECONDS = 0.3
TASKS = 10_000
ITEMS = 100_000
REPEATS = 5
TIMEOUT = 60


def _signal(ready):
    ready.set()


def _one():
    return 1


def _double(x):
    return x * 2


def process_start(method):
    """Median ns from before start() to the target having set the event."""
    ctx = multiprocessing.get_context(method)
    ready = ctx.Event()
    samples = []
    for i in range(START_UNCOUNTED + START_SAMPLES[method]):
        ready.clear()
        p = ctx.Process(target=_signal, args=(ready,))
        t0 = time.perf_counter_ns()
        p.start()
        if not ready.wait(TIMEOUT):
            raise RuntimeError(f"{method}: the target did not run within {TIMEOUT} s")
        elapsed = time.perf_counter_ns() - t0
        p.join()
        if i >= START_UNCOUNTED:
            samples.append(elapsed)
    return statistics.median(samples)


def rss_bytes(pid):
    """VmRSS of ``pid`` from /proc, in bytes (as the Java side reads its child JVMs)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return float("nan")


def percentile(sorted_samples, p):
    """The nearest-rank percentile ``p`` of ascending ``sorted_samples``."""
    rank = max(1, math.ceil(p / 100 * len(sorted_samples)))
    return sorted_samples[rank - 1]


def apply_round_trips(pool):
    samples = []
    for _ in range(APPLY_SAMPLES):
        t0 = time.perf_counter_ns()
        pool.apply(_one)
        samples.append(time.perf_counter_ns() - t0)
    samples.sort()
    return percentile(samples, 50), percentile(samples, 99)


def apply_after_idle(pool):
    samples = []
    for _ in range(IDLE_SAMPLES):
        time.sleep(IDLE_SECONDS)
        t0 = time.perf_counter_ns()
        pool.apply(_one)
        samples.append(time.perf_counter_ns() - t0)
    return statistics.median(samples)


def apply_async_per_task(pool):
    samples = []
    for _ in range(REPEATS):
        done = threading.Event()
        count = [0]

        def callback(_value):
            # Callbacks run on the pool's one result-handler thread: no lock needed.
            count[0] += 1
            if count[0] == TASKS:
                done.set()

        t0 = time.perf_counter_ns()
        for _ in range(TASKS):
            pool.apply_async(_one, callback=callback)
        if not done.wait(TIMEOUT):
            raise RuntimeError(f"only {count[0]} of {TASKS} callbacks ran within {TIMEOUT} s")
        samples.append((time.perf_counter_ns() - t0) / TASKS)
    return statistics.median(samples)


def map_ints(pool):
    items = list(range(ITEMS))
    samples = []
    for _ in range(REPEATS):
        t0 = time.perf_counter_ns()
        out = pool.map(_double, items)
        samples.append(time.perf_counter_ns() - t0)
        if out[-1] != 2 * (ITEMS - 1):
            raise AssertionError("wrong map result")
    return statistics.median(samples)


ROUND_TRIPS = 5000


def _queue_echo(inq, outq):
    for v in iter(inq.get, None):
        outq.put(v)


def _pipe_echo(conn):
    while True:
        v = conn.recv()
        if v is None:
            return
        conn.send(v)


def queue_round_trip():
    inq, outq = multiprocessing.Queue(), multiprocessing.Queue()
    child = multiprocessing.Process(target=_queue_echo, args=(inq, outq))
    child.start()
    samples = []
    for r in range(REPEATS + 1):
        t0 = time.perf_counter_ns()
        for _ in range(ROUND_TRIPS):
            inq.put(7)
            outq.get()
        if r:  # the first run warms up
            samples.append((time.perf_counter_ns() - t0) / ROUND_TRIPS)
    inq.put(None)
    child.join(TIMEOUT)
    return statistics.median(samples)


def pipe_round_trip():
    near, far = multiprocessing.Pipe()
    child = multiprocessing.Process(target=_pipe_echo, args=(far,))
    child.start()
    samples = []
    for r in range(REPEATS + 1):
        t0 = time.perf_counter_ns()
        for _ in range(ROUND_TRIPS):
            near.send(7)
            near.recv()
        if r:
            samples.append((time.perf_counter_ns() - t0) / ROUND_TRIPS)
    near.send(None)
    child.join(TIMEOUT)
    return statistics.median(samples)


def main():
    for method in ("fork", "forkserver", "spawn"):
        report(f"multiprocessing.Process start until target runs, {method}", process_start(method))
    with multiprocessing.Pool(WORKERS) as pool:
        pool.map(_one_arg, range(4 * WORKERS), 1)  # every worker started and used once
        for _ in range(200):
            pool.apply(_one)
        p50, p99 = apply_round_trips(pool)
        report("multiprocessing.Pool.apply round trip p50", p50)
        report("multiprocessing.Pool.apply round trip p99", p99)
        report("multiprocessing.Pool.apply after 300 ms idle", apply_after_idle(pool))
        report("multiprocessing.Pool.apply_async with callback, per task", apply_async_per_task(pool))
        report("multiprocessing.Pool.map 100,000 ints", map_ints(pool))
        # A memory row (bytes, not ns): the resident set of one worker after its tasks.
        report("multiprocessing.Pool worker RSS bytes", rss_bytes(pool._pool[0].pid))
    report("multiprocessing.Queue put+get round trip", queue_round_trip())
    report("multiprocessing.Pipe send+recv round trip", pipe_round_trip())
    return 0


def _one_arg(x):
    return x


if __name__ == "__main__":
    sys.exit(main())
