package io.github.pyconcurrent.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Python: the hotline's interactive client: print what the server says, send what the user
 * types, {@code exit} quits; a 5 s socket timeout.
 * <pre>
 * sk = socket.socket()
 * sk.connect(('127.0.0.1', 8009))
 * sk.settimeout(5)
 * while True:
 *     data = sk.recv(1024)
 *     print 'receive:', data
 *     inp = raw_input('please input:')
 *     sk.sendall(inp)
 *     if inp == 'exit':
 *         break
 * sk.close()
 * </pre>
 * Argument: the port (default 8009; {@code select-server} listens on 8002). An empty line is not
 * sent (Python would send nothing and then time out waiting for an answer); the end of the input
 * counts as {@code exit}.
 */
public final class HotlineClient {
    private HotlineClient() {}

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8009;
        run(new InetSocketAddress("127.0.0.1", port), System.in, System.out);
    }

    /** Talks to the server at {@code address} on the given console until {@code exit}. */
    public static void run(InetSocketAddress address, InputStream in, PrintStream out) {
        BufferedReader console = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        try (Socket sk = new Socket()) {
            sk.connect(address, 5_000);
            sk.setSoTimeout(5_000);
            byte[] buf = new byte[Hotline.BUFSIZE];
            while (true) {
                int n = sk.getInputStream().read(buf);
                out.println("receive: " + (n < 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8)));
                String inp;
                do {
                    out.print("please input:");
                    out.flush();
                    inp = console.readLine();
                } while (inp != null && inp.isEmpty());
                if (inp == null) {
                    out.println();
                    inp = "exit";
                }
                sk.getOutputStream().write(inp.getBytes(StandardCharsets.UTF_8));
                if (inp.equals("exit")) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
