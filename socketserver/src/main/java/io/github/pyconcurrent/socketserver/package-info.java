/**
 * Python's {@code socketserver}: a framework for network servers, rebuilt on the JVM.
 *
 * <p>As in Python, the design space has two axes. The <b>transport</b>: stream (TCP,
 * {@link io.github.pyconcurrent.socketserver.TCPServer}; Unix stream,
 * {@link io.github.pyconcurrent.socketserver.UnixStreamServer}) or datagram (UDP,
 * {@link io.github.pyconcurrent.socketserver.UDPServer}; Unix datagram,
 * {@link io.github.pyconcurrent.socketserver.UnixDatagramServer}). And how each request is
 * <b>served</b>, a {@link io.github.pyconcurrent.socketserver.Dispatch} (Python's mixins):
 * synchronously on the serving thread (the plain classes: one request at a time, right for quick
 * requests), on a thread of its own ({@code Threading*}), on a virtual thread
 * ({@link io.github.pyconcurrent.socketserver.VirtualThreadingTCPServer}: tens of thousands of
 * idle connections cost little), in a child JVM of its own ({@code Forking*}: isolation, at the
 * price of a JVM per request; the socket is handed over by descriptor passing), or by greenlets on
 * one thread ({@link io.github.pyconcurrent.socketserver.GreenletTCPServer}, gevent's model).
 * Every combination Python offers exists under Python's name.
 *
 * <p>A request is served by a new instance of the handler class given to the server:
 * {@link io.github.pyconcurrent.socketserver.BaseRequestHandler} (with {@code request}, a
 * {@link io.github.pyconcurrent.socketserver.StreamSocket} or a
 * {@link io.github.pyconcurrent.socketserver.DatagramRequest}), or the stream-flavoured
 * {@link io.github.pyconcurrent.socketserver.StreamRequestHandler} and
 * {@link io.github.pyconcurrent.socketserver.DatagramRequestHandler} (with {@code rfile} and
 * {@code wfile}).
 *
 * <pre>{@code
 * public class MyServer extends BaseRequestHandler<StreamSocket> {      // the tutorial's 10086 hotline
 *     @Override
 *     protected void handle() {
 *         request.sendall("欢迎致电 10086，请输入1xxx,0转人工服务.".getBytes(UTF_8));
 *         byte[] data;
 *         while ((data = request.recv(1024)).length > 0 && !new String(data, UTF_8).equals("exit")) {
 *             request.sendall((new String(data, UTF_8).equals("0") ? "通过可能会被录音.balabala一大推" : "请重新输入.").getBytes(UTF_8));
 *         }
 *     }
 * }
 * try (var server = new ThreadingTCPServer(new InetSocketAddress("127.0.0.1", 8009), MyServer.class)) {
 *     server.serveForever();       // server.shutdown() from another thread stops it
 * }
 * }</pre>
 *
 * <p>Deliberate differences from Python: {@code shutdown()} on the serving thread throws
 * {@code IllegalStateException} instead of deadlocking, and wakes the loop at once; Unix servers
 * remove their socket file on {@code serverClose()}; {@code handleError} receives the exception;
 * a forking server's child gets a stand-in {@code server} (the server object cannot travel to
 * another JVM), so overrides of the server's hooks do not run there.
 */
package io.github.pyconcurrent.socketserver;
