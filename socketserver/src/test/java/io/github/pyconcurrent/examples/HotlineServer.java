package io.github.pyconcurrent.examples;

import io.github.pyconcurrent.socketserver.BaseRequestHandler;
import io.github.pyconcurrent.socketserver.StreamSocket;
import io.github.pyconcurrent.socketserver.ThreadingTCPServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The tutorial's socketserver program, the "10086" hotline:
 *
 * <pre>
 * import SocketServer
 * class MyServer(SocketServer.BaseRequestHandler):
 *     def handle(self):
 *         conn = self.request
 *         conn.sendall('欢迎致电 10086，请输入1xxx,0转人工服务.')
 *         Flag = True
 *         while Flag:
 *             data = conn.recv(1024)
 *             if data == 'exit':
 *                 Flag = False
 *             elif data == '0':
 *                 conn.sendall('通过可能会被录音.balabala一大推')
 *             else:
 *                 conn.sendall('请重新输入.')
 * if __name__ == '__main__':
 *     server = SocketServer.ThreadingTCPServer(('127.0.0.1', 8009), MyServer)
 *     server.serve_forever()
 * </pre>
 *
 * One change: a client that hangs up ({@code recv} gives nothing) ends the call too; the
 * original loops for ever answering "请重新输入." to a closed connection. Run it with
 * {@code java <the toolkit's flags> -cp ... io.github.pyconcurrent.examples.HotlineServer [port]}
 * and talk to it with the tutorial's client (or {@code nc 127.0.0.1 8009}).
 */
public final class HotlineServer {
    static final String GREETING = "欢迎致电 10086，请输入1xxx,0转人工服务.";
    static final String OPERATOR = "通过可能会被录音.balabala一大推";
    static final String AGAIN = "请重新输入.";

    private HotlineServer() {}

    /** The tutorial's {@code MyServer}. */
    public static class MyServer extends BaseRequestHandler<StreamSocket> {
        @Override
        protected void handle() {
            StreamSocket conn = request;
            conn.sendall(GREETING.getBytes(StandardCharsets.UTF_8));
            boolean flag = true;
            while (flag) {
                byte[] data = conn.recv(1024);
                if (data.length == 0 || Arrays.equals(data, "exit".getBytes(StandardCharsets.UTF_8))) {
                    flag = false;
                } else if (Arrays.equals(data, "0".getBytes(StandardCharsets.UTF_8))) {
                    conn.sendall(OPERATOR.getBytes(StandardCharsets.UTF_8));
                } else {
                    conn.sendall(AGAIN.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8009;
        try (var server = new ThreadingTCPServer(new InetSocketAddress("127.0.0.1", port), MyServer.class)) {
            server.serveForever();
        }
    }
}
