"""CPython twins of pyconcurrent's coroutine benchmarks
(io.github.pyconcurrent.benchmarks.greenlet and .gevent).

Prints one line per measurement, ``key<TAB>nanoseconds-per-op``; the keys are what the Java
benchmarks' ``@Versus(cpython = ...)`` name. Needs the greenlet and gevent packages (on Debian
and Ubuntu: ``apt-get install python3-greenlet python3-gevent`` for /usr/bin/python3); whatever
cannot be imported is skipped silently, so on a bare interpreter the script prints nothing.

Each figure is the median of several timed repeats of a loop sized to take about 60 ms
(``_pybench.measure``). Switch figures are per switch (a round trip is two), as the Java ones;
the gevent figure is per batch of 10,000 spawns.
"""
# requires: greenlet gevent
# covers: greenlet gevent
from _pybench import measure, report


def greenlet_benchmarks(greenlet):
    def switch_ping_pong(n):
        main = greenlet.getcurrent()

        def partner():
            while True:
                main.switch()

        g = greenlet.greenlet(partner)
        g.switch()
        for _ in range(n):
            g.switch()
        g.throw()

    def nothing():
        return None

    def create_and_run(n):
        make = greenlet.greenlet
        for _ in range(n):
            make(nothing).switch()

    yield "greenlet switch", measure(switch_ping_pong, ops_per_call=2)
    yield "greenlet create+run", measure(create_and_run)
    yield "greenlet bytes per suspended greenlet", bytes_per(lambda: suspended_greenlets(greenlet))


MEMORY_COUNT = 10_000


def rss_bytes():
    """This process's VmRSS from /proc, in bytes (as the Java side reads its JVMs)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def bytes_per(make):
    """Memory rows (bytes, not ns): the growth of the resident set per object ``make`` keeps alive."""
    import gc
    gc.collect()
    before = rss_bytes()
    kept = make()
    gc.collect()
    per = (rss_bytes() - before) / MEMORY_COUNT
    del kept
    return per


def suspended_greenlets(greenlet):
    main = greenlet.getcurrent()
    kept = []
    for _ in range(MEMORY_COUNT):
        g = greenlet.greenlet(lambda: main.switch())
        g.switch()  # runs until it switches back: suspended mid-body
        kept.append(g)
    return kept


def gevent_benchmarks(gevent):
    def spawn_joinall_10k(n):
        for _ in range(n):
            tasks = [gevent.spawn(gevent.sleep, 0) for _ in range(10_000)]
            gevent.joinall(tasks)

    yield "gevent spawn+joinall 10000 sleep(0)", measure(spawn_joinall_10k, max_n=8)

    spawned = []

    def sleeping_tasks():
        spawned.extend(gevent.spawn(gevent.sleep, 600) for _ in range(MEMORY_COUNT))
        gevent.sleep(0)  # every task runs once, up to its sleep
        return spawned

    tasks_bytes = bytes_per(sleeping_tasks)
    gevent.killall(spawned)
    yield "gevent bytes per sleeping task", tasks_bytes


def main():
    try:
        import greenlet
    except ImportError:
        return
    for key, ns in greenlet_benchmarks(greenlet):
        report(key, ns)
    try:
        import gevent
    except ImportError:
        return
    for key, ns in gevent_benchmarks(gevent):
        report(key, ns)


if __name__ == "__main__":
    main()
