"""CPython's echo servers for pyconcurrent's load rows (io.github.pyconcurrent.benchmarks.LoadRows).

Not a twin script: the runner starts it as a server process, as it starts LoadServer for the JVM
servers, and drives it with the same load client (LoadClient), so that both sides are measured by
one client in one run. Its name starts with ``_`` so that the twin runner does not run it.

    python3 _load_server.py threading|selectors|forking

Forms: ``threading`` and ``forking`` are ``socketserver.ThreadingTCPServer`` and
``ForkingTCPServer`` with the twins' line-echo ``StreamRequestHandler``; ``selectors`` is one
thread echoing on non-blocking sockets with ``selectors.DefaultSelector`` (the fastest plain
CPython server: no thread per connection, no GIL handoff). Protocol (LoadServer's): prints
``listening PORT``; a ``gc`` line on stdin runs ``gc.collect()`` and prints ``ok``; end of stdin
stops the server and exits.
"""
import gc
import selectors
import socket
import socketserver
import sys
import threading


class LineEcho(socketserver.StreamRequestHandler):
    disable_nagle_algorithm = True

    def handle(self):
        for line in self.rfile:
            self.wfile.write(line)


class SelectorsEcho:
    """A one-thread echo server on a selector: what it reads goes straight back."""

    def __init__(self):
        self.listening = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.listening.setblocking(False)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listening, selectors.EVENT_READ)
        self.server_address = self.listening.getsockname()
        self.stopping = False

    def serve_forever(self):
        while not self.stopping:
            for key, _ in self.selector.select(timeout=0.5):
                if key.fileobj is self.listening:
                    try:
                        conn, _ = self.listening.accept()
                    except BlockingIOError:
                        continue
                    conn.setblocking(False)
                    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    self.selector.register(conn, selectors.EVENT_READ)
                    continue
                conn = key.fileobj
                try:
                    data = conn.recv(4096)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    data = b""
                if data:
                    conn.sendall(data)  # 16 bytes into an empty send buffer: never blocks
                else:
                    self.selector.unregister(conn)
                    conn.close()

    def shutdown(self):
        self.stopping = True

    def server_close(self):
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()
        self.selector.close()


def main():
    form = sys.argv[1] if len(sys.argv) > 1 else ""
    if form == "threading":
        socketserver.ThreadingTCPServer.daemon_threads = True
        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), LineEcho)
    elif form == "forking":
        # The load rows hold 64 and 256 connections at once, each served by its own child:
        # Python's max_children of 40 would block the loop in collect_children with the rest
        # never accepted (the 64-connection pass timed out, 2026-12-07).
        socketserver.ForkingTCPServer.max_children = 1024
        server = socketserver.ForkingTCPServer(("127.0.0.1", 0), LineEcho)
    elif form == "selectors":
        server = SelectorsEcho()
    else:
        print("usage: _load_server.py threading|selectors|forking", file=sys.stderr)
        return 2
    loop = threading.Thread(target=server.serve_forever, daemon=True)
    loop.start()
    print(f"listening {server.server_address[1]}", flush=True)
    for line in sys.stdin:
        if line.strip() == "gc":
            gc.collect()
            print("ok", flush=True)
    server.shutdown()
    loop.join(10)
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
