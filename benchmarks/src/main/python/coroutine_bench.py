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


def gevent_benchmarks(gevent):
    def spawn_joinall_10k(n):
        for _ in range(n):
            tasks = [gevent.spawn(gevent.sleep, 0) for _ in range(10_000)]
            gevent.joinall(tasks)

    yield "gevent spawn+joinall 10000 sleep(0)", measure(spawn_joinall_10k, max_n=8)


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
