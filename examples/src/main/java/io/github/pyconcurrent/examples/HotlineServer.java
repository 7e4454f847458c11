package io.github.pyconcurrent.examples;

import io.github.pyconcurrent.socketserver.BaseRequestHandler;
import io.github.pyconcurrent.socketserver.StreamSocket;
import io.github.pyconcurrent.socketserver.TCPServer;
import io.github.pyconcurrent.socketserver.ThreadingTCPServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Python: the "10086 hotline" served by {@code SocketServer.ThreadingTCPServer} on
 * 127.0.0.1:8009, one thread per client.
 * <pre>
 * class MyServer(SocketServer.BaseRequestHandler):
 *     def handle(self):
 *         conn = self.request
 *         conn.sendall('欢迎致电 10086,请输入1xxx,0转人工服务.')
 *         Flag = True
 *         while Flag:
 *             data = conn.recv(1024)
 *             if data == 'exit': Flag = False
 *             elif data == '0': conn.sendall('通过可能会被录音.balabala一大推')
 *             else: conn.sendall('请重新输入.')
 * server = SocketServer.ThreadingTCPServer(('127.0.0.1', 8009), MyServer)
 * server.serve_forever()
 * </pre>
 * Argument: the port (default 8009; 0 picks a free one). Talk to it with
 * {@code ./run example hotline-client}. {@link ForkingHotlineServer} serves the same handler
 * from child JVMs.
 */
public final class HotlineServer {
    private HotlineServer() {}

    /** The tutorial's handler: public, static, with a public no-arg constructor (a forking server builds it in a child JVM). */
    public static final class MyServer extends BaseRequestHandler<StreamSocket> {
        public MyServer() {}

        @Override
        protected void handle() {
            StreamSocket conn = request;
            conn.sendall(Hotline.WELCOME.getBytes(StandardCharsets.UTF_8));
            while (true) {
                String answer = Hotline.answer(new String(conn.recv(Hotline.BUFSIZE), StandardCharsets.UTF_8));
                if (answer == null) {
                    break;
                }
                conn.sendall(answer.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8009;
        serve(new ThreadingTCPServer(new InetSocketAddress("127.0.0.1", port), MyServer.class));
    }

    /** Says where it listens, then serves until the JVM is stopped. */
    static void serve(TCPServer server) {
        try (server) {
            System.out.println("serving on " + server.serverAddress());
            server.serveForever();
        }
    }
}
