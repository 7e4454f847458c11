/**
 * JMH benchmarks of the socketserver forms (request round trip on a kept-open connection,
 * connect + request + close) beside a plain JDK server and CPython's {@code socketserver}
 * ({@code socketserver_bench.py}); and the load rows' parts: {@link LoadServer} (each server in a
 * process of its own, CPython's being {@code _load_server.py}), {@link LoadClient} (one NIO
 * selector thread, N connections, one line in flight each), {@link ConnectRequestClose},
 * {@link IdleConnections} and {@link ProcStat} (CPU time and resident set from {@code /proc}),
 * which {@code LoadRows} puts together into the runner's table.
 */
package io.github.pyconcurrent.benchmarks.socketserver;
