/**
 * JMH benchmarks of the socketserver forms (request round trip on a kept-open connection,
 * connect + request + close) beside a plain JDK server and CPython's {@code socketserver}
 * ({@code socketserver_bench.py}).
 */
package io.github.pyconcurrent.benchmarks.socketserver;
