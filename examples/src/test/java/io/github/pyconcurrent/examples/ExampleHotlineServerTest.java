package io.github.pyconcurrent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.pyconcurrent.socketserver.ForkingTCPServer;
import io.github.pyconcurrent.socketserver.TCPServer;
import io.github.pyconcurrent.socketserver.ThreadingTCPServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tutorial's hotline under ThreadingTCPServer: a scripted Java client, CPython's own socket
 * client, and the tutorial's interactive client (HotlineClient, its console scripted) call it, the
 * last also under ForkingTCPServer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExampleHotlineServerTest {

    /** The tutorial's conversation: greeting, "0" reaches the operator, anything else asks again, "exit" hangs up. */
    @Test
    void aCallToTheHotline() throws Exception {
        try (var server = new ThreadingTCPServer(new InetSocketAddress("127.0.0.1", 0), HotlineServer.MyServer.class)) {
            Thread serving = new Thread(server::serveForever, "serve-hotline");
            serving.start();
            try (SocketChannel sk = SocketChannel.open(server.serverAddress())) {
                assertEquals(Hotline.WELCOME, receive(sk, Hotline.WELCOME));
                send(sk, "0");
                assertEquals(Hotline.OPERATOR, receive(sk, Hotline.OPERATOR));
                send(sk, "1234");
                assertEquals(Hotline.RETRY, receive(sk, Hotline.RETRY));
                send(sk, "exit");
                assertEquals(-1, sk.read(ByteBuffer.allocate(1)), "the hotline hangs up after exit");
            } finally {
                server.shutdown();
                serving.join();
            }
        }
    }

    /** Interop: CPython's socket module (the tutorial's client, scripted) against the Java server. */
    @Test
    void cpythonClientCallsTheJavaServer() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        String script = String.join("\n",
                "import socket, sys",
                "sk = socket.socket()",
                "sk.connect(('127.0.0.1', int(sys.argv[1])))",
                "sk.settimeout(30)",
                "def recv_text(n):",
                "    data = b''",
                "    while len(data) < n:",
                "        chunk = sk.recv(1024)",
                "        if not chunk: break",
                "        data += chunk",
                "    return data.decode('utf-8')",
                "out = [recv_text(len(sys.argv[2].encode('utf-8')))]",
                "for inp, expect in (('0', sys.argv[3]), ('1234', sys.argv[4])):",
                "    sk.sendall(inp.encode())",
                "    out.append(recv_text(len(expect.encode('utf-8'))))",
                "sk.sendall(b'exit')",
                "out.append('closed' if sk.recv(1024) == b'' else 'open')",
                "sk.close()",
                "print('|'.join(out))");
        try (var server = new ThreadingTCPServer(new InetSocketAddress("127.0.0.1", 0), HotlineServer.MyServer.class)) {
            Thread serving = new Thread(server::serveForever, "serve-hotline");
            serving.start();
            try {
                int port = ((InetSocketAddress) server.serverAddress()).getPort();
                Process p = new ProcessBuilder(python.toString(), "-c", script, Integer.toString(port),
                        Hotline.WELCOME, Hotline.OPERATOR, Hotline.RETRY)
                        .redirectErrorStream(true).start();
                p.getOutputStream().close();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                assertEquals(0, p.waitFor(), output);
                assertEquals(String.join("|", Hotline.WELCOME, Hotline.OPERATOR, Hotline.RETRY, "closed"),
                        output);
            } finally {
                server.shutdown();
                serving.join();
            }
        }
    }

    /**
     * The tutorial's interactive client, its console scripted, against the hotline served by
     * ThreadingTCPServer (HotlineServer) and by ForkingTCPServer (ForkingHotlineServer): the same
     * conversation, and the server stops and closes cleanly after the call.
     */
    @ParameterizedTest
    @ValueSource(strings = {"threading", "forking"})
    void theTutorialsClientCallsTheHotline(String form) throws Exception {
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
                TCPServer server = form.equals("threading")
                        ? new ThreadingTCPServer(any, HotlineServer.MyServer.class)
                        : new ForkingTCPServer(any, HotlineServer.MyServer.class)) {
            Thread serving = new Thread(server::serveForever, "serve-hotline");
            serving.start();
            try {
                HotlineClient.run((InetSocketAddress) server.serverAddress(),
                        new ByteArrayInputStream("1234\n0\nexit\n".getBytes(StandardCharsets.UTF_8)), out);
            } finally {
                server.shutdown();
                serving.join();
            }
        }
        assertEquals(List.of(
                "receive: " + Hotline.WELCOME,
                "please input:receive: " + Hotline.RETRY,
                "please input:receive: " + Hotline.OPERATOR,
                "please input:"), console.toString(StandardCharsets.UTF_8).lines().toList());
    }

    private static void send(SocketChannel sk, String text) throws IOException {
        sk.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Reads as many bytes as {@code expected} has (a reply may arrive in pieces). */
    private static String receive(SocketChannel sk, String expected) throws IOException {
        int n = expected.getBytes(StandardCharsets.UTF_8).length;
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(1024);
        while (got.size() < n) {
            buf.clear().limit(Math.min(1024, n - got.size()));
            if (sk.read(buf) < 0) {
                break;
            }
            got.write(buf.array(), 0, buf.position());
        }
        return got.toString(StandardCharsets.UTF_8);
    }
}
