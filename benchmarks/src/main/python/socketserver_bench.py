"""CPython twin of pyconcurrent's socketserver benchmark (io.github.pyconcurrent.benchmarks.socketserver).

Prints ``key<TAB>nanoseconds-per-op``. A ``socketserver.ThreadingTCPServer`` on loopback whose
``StreamRequestHandler`` echoes lines; a blocking client sends a 16-byte line and reads it back:
on a kept-open connection (median of per-request times over ROUND_TRIPS requests, after a
warm-up), and as connect + one request + close (median over CONNECTIONS connections, few enough
that TIME_WAIT never exhausts the ephemeral ports), as SocketServerBenchmark measures.
"""
# covers: socketserver
import socket
import socketserver
import statistics
import sys
import threading
import time

from _pybench import report

LINE = b"0123456789abcde\n"
ROUND_TRIPS = 5000
CONNECTIONS = 600


class LineEcho(socketserver.StreamRequestHandler):
    disable_nagle_algorithm = True

    def handle(self):
        for line in self.rfile:
            self.wfile.write(line)


def _round_trip(sock):
    sock.sendall(LINE)
    got = b""
    while len(got) < len(LINE):
        chunk = sock.recv(len(LINE) - len(got))
        if not chunk:
            raise ConnectionError("server closed")
        got += chunk


def _connect(address):
    s = socket.create_connection(address)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def main():
    socketserver.ThreadingTCPServer.daemon_threads = True
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), LineEcho) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        address = server.server_address
        with _connect(address) as s:
            for _ in range(500):
                _round_trip(s)
            samples = []
            for _ in range(ROUND_TRIPS):
                t0 = time.perf_counter_ns()
                _round_trip(s)
                samples.append(time.perf_counter_ns() - t0)
        report("socketserver.ThreadingTCPServer round trip", statistics.median(samples))
        samples = []
        for _ in range(CONNECTIONS):
            t0 = time.perf_counter_ns()
            with _connect(address) as s:
                _round_trip(s)
            samples.append(time.perf_counter_ns() - t0)
        report("socketserver.ThreadingTCPServer connect+request+close", statistics.median(samples))
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
