"""CPython twins of pyconcurrent's multiprocessing benchmarks (io.github.pyconcurrent.benchmarks.multiprocessing).

Prints one line per measurement, ``key<TAB>nanoseconds-per-op``; the keys are what the Java
benchmarks' ``@Versus(cpython = ...)`` name.

* Process start until the target runs, for the ``fork``, ``forkserver`` and ``spawn`` contexts:
  from before ``p.start()`` to the parent seeing the ``multiprocessing.Event`` that the target
  sets as its first action; the Process object is made before, and the process joined after,
  the timed span (as ProcessStartBenchmark). The first starts of each context are not counted
  (the forkserver's server process starts then). Median of START_SAMPLES.
* A ``Pool(WORKERS)`` of the default context (fork on Linux), warmed by WARM_APPLIES applies
  (issue 17's rows): ``apply(ident, (i,))`` round trip, each call timed, p50 and p99 of
  APPLY_SAMPLES (pool2_apply_rtt_p50/_p99); the first ``apply`` after the pool idled 300 ms
  (median of IDLE_SAMPLES, pool2_apply_after_idle_300ms_p50); ``apply_async(ident, (i,),
  callback)`` of TASKS calls until every callback ran, per task (median of REPEATS,
  pool2_apply_async_throughput); ``map(ident, range(100000))`` with the default chunk size, per
  map (median of REPEATS, pool2_map_100k_ints).
* The startup rows (StartupRows, issue 16), same definitions as StartupProbe: after 1 warm-up
  start, REPEATS repeats of START_JOIN_STARTS sequential ``ctx.Process(target=noop); start();
  join()``, each timed, each repeat's p50 and p95 (nearest rank), the median of the repeats, for
  the ``fork``, ``forkserver`` and ``spawn`` contexts; ``Pool(2)`` of the default context
  created, one ``apply``, ``close()``, ``join()`` (one unmeasured round, median of REPEATS; the key
  names the context); the VmRSS of the one worker of a ``Pool(1)`` after 200 applies and a 0.5 s
  settle; ``python3 -c "print(1)"`` (this interpreter) as a whole process, posix_spawn to wait4
  (one unmeasured run, median of REPEATS) and its peak RSS (``ru_maxrss`` from wait4, the
  largest of the runs, as the Java side's getrusage of its children gives).
* Queue put+get, Pipe send+recv and Pipe send_bytes+recv_bytes round trips: a child process
  echoes what it receives (through a second Queue, or back through the duplex Pipe); per round
  trip, median of REPEATS runs after WARM_ROUND_TRIPS: 10,000 of an int through the Queues
  (mp_queue_pingpong_rtt), 20,000 of 12345 (mp_pipe_pingpong_rtt) and of 16 bytes
  (mp_pipe_bytes_pingpong_rtt) through the Pipe (as MessagingBenchmark).

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
APPLY_SAMPLES = 2000
WARM_APPLIES = 200
IDLE_SAMPLES = 10
IDLE_SECONDS = 0.3
TASKS = 20_000
ITEMS = 100_000
REPEATS = 5
TIMEOUT = 60


def _signal(ready):
    ready.set()


def _one():
    return 1


def _ident(x):
    return x


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
    for i in range(APPLY_SAMPLES):
        t0 = time.perf_counter_ns()
        pool.apply(_ident, (i,))
        samples.append(time.perf_counter_ns() - t0)
    samples.sort()
    return percentile(samples, 50), percentile(samples, 99)


def apply_after_idle(pool):
    samples = []
    for i in range(IDLE_SAMPLES):
        time.sleep(IDLE_SECONDS)
        t0 = time.perf_counter_ns()
        pool.apply(_ident, (i,))
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
        for i in range(TASKS):
            pool.apply_async(_ident, (i,), callback=callback)
        if not done.wait(TIMEOUT):
            raise RuntimeError(f"only {count[0]} of {TASKS} callbacks ran within {TIMEOUT} s")
        samples.append((time.perf_counter_ns() - t0) / TASKS)
    return statistics.median(samples)


def map_ints(pool):
    items = list(range(ITEMS))
    samples = []
    for _ in range(REPEATS):
        t0 = time.perf_counter_ns()
        out = pool.map(_ident, items)
        samples.append(time.perf_counter_ns() - t0)
        if out[-1] != ITEMS - 1:
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


QUEUE_ROUND_TRIPS = 10_000
PIPE_ROUND_TRIPS = 20_000
WARM_ROUND_TRIPS = 10


def _queue_echo(inq, outq):
    for v in iter(inq.get, None):
        outq.put(v)


def _pipe_echo(conn):
    while True:
        v = conn.recv()
        if v is None:
            return
        conn.send(v)


def _bytes_echo(conn):
    while True:
        b = conn.recv_bytes()
        if not b:
            return
        conn.send_bytes(b)


def queue_round_trip():
    """mp_queue_pingpong_rtt: 10 warm-up, then 10,000 timed round trips of an int; median of REPEATS."""
    inq, outq = multiprocessing.Queue(), multiprocessing.Queue()
    child = multiprocessing.Process(target=_queue_echo, args=(inq, outq))
    child.start()
    for _ in range(WARM_ROUND_TRIPS):
        inq.put(7)
        outq.get()
    samples = []
    for _ in range(REPEATS):
        t0 = time.perf_counter_ns()
        for _ in range(QUEUE_ROUND_TRIPS):
            inq.put(7)
            outq.get()
        samples.append((time.perf_counter_ns() - t0) / QUEUE_ROUND_TRIPS)
    inq.put(None)
    child.join(TIMEOUT)
    return statistics.median(samples)


def pipe_round_trip():
    """mp_pipe_pingpong_rtt: a duplex Pipe, the child echoes; 20,000 round trips of 12345."""
    near, far = multiprocessing.Pipe()
    child = multiprocessing.Process(target=_pipe_echo, args=(far,))
    child.start()
    for _ in range(WARM_ROUND_TRIPS):
        near.send(12345)
        near.recv()
    samples = []
    for _ in range(REPEATS):
        t0 = time.perf_counter_ns()
        for _ in range(PIPE_ROUND_TRIPS):
            near.send(12345)
            near.recv()
        samples.append((time.perf_counter_ns() - t0) / PIPE_ROUND_TRIPS)
    near.send(None)
    child.join(TIMEOUT)
    return statistics.median(samples)


def pipe_bytes_round_trip():
    """mp_pipe_bytes_pingpong_rtt: the same with 16 bytes via send_bytes/recv_bytes."""
    near, far = multiprocessing.Pipe()
    child = multiprocessing.Process(target=_bytes_echo, args=(far,))
    child.start()
    payload = bytes(16)
    for _ in range(WARM_ROUND_TRIPS):
        near.send_bytes(payload)
        near.recv_bytes()
    samples = []
    for _ in range(REPEATS):
        t0 = time.perf_counter_ns()
        for _ in range(PIPE_ROUND_TRIPS):
            near.send_bytes(payload)
            near.recv_bytes()
        samples.append((time.perf_counter_ns() - t0) / PIPE_ROUND_TRIPS)
    near.send_bytes(b"")
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
        for i in range(WARM_APPLIES):
            pool.apply(_ident, (i,))
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
    report("multiprocessing.Pipe send_bytes+recv_bytes 16 bytes round trip", pipe_bytes_round_trip())
    return 0


def _one_arg(x):
    return x


if __name__ == "__main__":
    sys.exit(main())
