"""CPython twins of pyconcurrent's threading benchmarks (io.github.pyconcurrent.benchmarks.threading).

Prints one line per measurement, ``key<TAB>nanoseconds-per-op``; the keys are what the Java
benchmarks' ``@Versus(cpython = ...)`` name. Each figure is the median of several timed repeats
of a loop sized to take about 60 ms (see ``_pybench.measure``), so the whole script takes a few
seconds. The loop's own overhead is included, as with ``timeit``; the Java side likewise includes JMH's.
Ping-pong figures are per handoff (a round trip is two), as the Java ones.
"""
# covers: threading
import sys
import threading

from _pybench import measure_all


def lock_acquire_release(n):
    lock = threading.Lock()
    for _ in range(n):
        lock.acquire()
        lock.release()


def lock_with(n):
    lock = threading.Lock()
    for _ in range(n):
        with lock:
            pass


def rlock_acquire_release(n):
    lock = threading.RLock()
    for _ in range(n):
        lock.acquire()
        lock.release()


def rlock_depth2(n):
    lock = threading.RLock()
    for _ in range(n):
        lock.acquire()
        lock.acquire()
        lock.release()
        lock.release()


def semaphore_acquire_release(n, kind=threading.Semaphore):
    sem = kind(1)
    for _ in range(n):
        sem.acquire()
        sem.release()


def bounded_semaphore_acquire_release(n):
    semaphore_acquire_release(n, threading.BoundedSemaphore)


def event_ping_pong(n):
    """n round trips: ping.set(); pong.wait(); pong.clear() against the echo thread."""
    ping, pong = threading.Event(), threading.Event()

    def ponger():
        for _ in range(n):
            ping.wait()
            ping.clear()
            pong.set()

    t = threading.Thread(target=ponger)
    t.start()
    for _ in range(n):
        ping.set()
        pong.wait()
        pong.clear()
    t.join()


def condition_ping_pong(n, lock_type=None):
    """n round trips of a turn variable under ``with cond:``, notify() and wait()."""
    cond = threading.Condition(lock_type() if lock_type else None)
    turn = [False]  # True = the ponger's turn

    def ponger():
        for _ in range(n):
            with cond:
                while not turn[0]:
                    cond.wait()
                turn[0] = False
                cond.notify()

    t = threading.Thread(target=ponger)
    t.start()
    for _ in range(n):
        with cond:
            turn[0] = True
            cond.notify()
            while turn[0]:
                cond.wait()
    t.join()


def condition_lock_ping_pong(n):
    """As condition_ping_pong, over a plain threading.Lock instead of the default RLock."""
    condition_ping_pong(n, threading.Lock)


def nothing():
    pass


def thread_start_join(n):
    for _ in range(n):
        t = threading.Thread(target=nothing)
        t.start()
        t.join()


BENCHMARKS = [
    ("threading.Lock acquire+release", lock_acquire_release, 1),
    ("threading.Lock with", lock_with, 1),
    ("threading.RLock acquire+release", rlock_acquire_release, 1),
    ("threading.RLock depth 2", rlock_depth2, 1),
    ("threading.Semaphore acquire+release", semaphore_acquire_release, 1),
    ("threading.BoundedSemaphore acquire+release", bounded_semaphore_acquire_release, 1),
    ("threading.Event ping-pong per handoff", event_ping_pong, 2),
    ("threading.Condition ping-pong per handoff", condition_ping_pong, 2),
    ("threading.Condition(Lock) ping-pong per handoff", condition_lock_ping_pong, 2),
    ("threading.Thread start+join", thread_start_join, 1),
]


def main():
    measure_all(BENCHMARKS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
