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
* The startup rows (StartupRows, issue 16), same definitions as StartupProbe: after 1 warm-up
  start, REPEATS repeats of START_JOIN_STARTS sequential ``ctx.Process(target=noop); start();
  join()``, each timed, each repeat's p50 and p95 (nearest rank), the median of the repeats, for
  the ``fork``, ``forkserver`` and ``spawn`` contexts; ``Pool(2)`` of the default context
  created, one ``apply``, ``close()``, ``join()`` (one unmeasured round, median of REPEATS; the key
  names the context); the VmRSS of the one worker of a ``Pool(1)`` after 200 applies and a 0.5 s
  settle; ``python3 -c "print(1)"`` (this interpreter) as a whole process, posix_spawn to wait4
  (one unmeasured run, median of REPEATS) and its peak RSS (``ru_maxrss`` from wait4, the
  largest of the runs, as the Java side's getrusage of its children gives).
* Queue put+get and Pipe send+recv round trips: a child process echoes what it receives (through
  a second Queue, or back through the duplex Pipe); per round trip, median of REPEATS runs of
  ROUND_TRIPS after a warm-up (as MessagingBenchmark).

The whole script takes about 10-20 s.
"""
# covers: multiprocessing
import math
import multiprocessing
import os
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


START_JOIN_STARTS = 20
IDLE_WORKER_APPLIES = 200
IDLE_WORKER_SETTLE = 0.5


def _noop():
    pass


def _start_join_once(ctx):
    """ns of one ``ctx.Process(target=_noop); start(); join()``; the child must exit 0."""
    t0 = time.perf_counter_ns()
    p = ctx.Process(target=_noop)
    p.start()
    p.join()
    took = time.perf_counter_ns() - t0
    if p.exitcode != 0:
        raise RuntimeError(f"a child exited with {p.exitcode}")
    p.close()
    return took


def start_join(method):
    """(p50, p95) of START_JOIN_STARTS sequential start+join, medians of REPEATS repeats."""
    ctx = multiprocessing.get_context(method)
    _start_join_once(ctx)  # the warm-up start (the forkserver's server process starts here)
    p50s, p95s = [], []
    for _ in range(REPEATS):
        samples = sorted(_start_join_once(ctx) for _ in range(START_JOIN_STARTS))
        p50s.append(percentile(samples, 50))
        p95s.append(percentile(samples, 95))
    return statistics.median(p50s), statistics.median(p95s)


def pool2_create_close_join():
    """(default context's name, median ns of Pool(2); apply; close(); join())."""
    ctx = multiprocessing.get_context()

    def once():
        t0 = time.perf_counter_ns()
        pool = ctx.Pool(2)
        result = pool.apply(_one)
        pool.close()
        pool.join()
        took = time.perf_counter_ns() - t0
        if result != 1:
            raise AssertionError("wrong apply result")
        return took

    once()
    return ctx.get_start_method(), statistics.median(once() for _ in range(REPEATS))


def idle_worker_rss():
    with multiprocessing.Pool(1) as pool:
        for _ in range(IDLE_WORKER_APPLIES):
            pool.apply(_one)
        time.sleep(IDLE_WORKER_SETTLE)
        return rss_bytes(pool._pool[0].pid)


def python_hello():
    """(median ns, largest peak RSS bytes) of a whole ``python3 -c "print(1)"``."""
    argv = [sys.executable, "-c", "print(1)"]
    quiet = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]

    def once():
        t0 = time.perf_counter_ns()
        pid = os.posix_spawn(sys.executable, argv, os.environ, file_actions=quiet)
        _, status, usage = os.wait4(pid, 0)
        took = time.perf_counter_ns() - t0
        if status != 0:
            raise RuntimeError(f"python3 -c print(1) ended with status {status}")
        return took, usage.ru_maxrss * 1024  # KiB on Linux

    runs = [once() for _ in range(REPEATS + 1)]
    return statistics.median(t for t, _ in runs[1:]), max(rss for _, rss in runs)


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
    for method in ("fork", "forkserver", "spawn"):
        p50, p95 = start_join(method)
        report(f"multiprocessing.Process start+join, {method}, p50 of {START_JOIN_STARTS}", p50)
        report(f"multiprocessing.Process start+join, {method}, p95 of {START_JOIN_STARTS}", p95)
    context, pool2 = pool2_create_close_join()
    report(f"multiprocessing.Pool(2) create+apply+close+join, default context {context}", pool2)
    report(f"multiprocessing.Pool(1) idle worker RSS bytes after {IDLE_WORKER_APPLIES} applies", idle_worker_rss())
    hello, hello_rss = python_hello()
    report("python3 -c print(1), whole process", hello)
    report("python3 -c print(1), peak RSS bytes", hello_rss)
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
