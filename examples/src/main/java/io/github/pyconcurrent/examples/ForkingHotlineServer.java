package io.github.pyconcurrent.examples;

import io.github.pyconcurrent.socketserver.ForkingTCPServer;
import java.net.InetSocketAddress;

/**
 * Python: the same "10086 hotline", served by {@code SocketServer.ForkingTCPServer}: each client
 * is served in a child JVM.
 * <pre>
 * server = SocketServer.ForkingTCPServer(('127.0.0.1', 8009), MyServer)
 * server.serve_forever()
 * </pre>
 * The handler is {@link HotlineServer.MyServer}; the child builds it from its class name.
 * Argument: the port (default 8009; 0 picks a free one).
 */
public final class ForkingHotlineServer {
    private ForkingHotlineServer() {}

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8009;
        HotlineServer.serve(new ForkingTCPServer(new InetSocketAddress("127.0.0.1", port), HotlineServer.MyServer.class));
    }
}
