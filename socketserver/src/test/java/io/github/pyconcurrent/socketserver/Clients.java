package io.github.pyconcurrent.socketserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/** Test clients for each transport: send a line, read what comes back. */
final class Clients {
    private Clients() {}

    static final String TEST_STR = "hello world\n";

    /** Sends {@code text}, shuts the sending side, and reads everything until end of stream. */
    static String streamRoundTrip(SocketAddress server, String text) throws IOException {
        try (SocketChannel c = SocketChannel.open(server)) {
            c.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            c.shutdownOutput();
            return readAll(c);
        }
    }

    static String readAll(SocketChannel c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (c.read(buf) >= 0) {
            out.write(buf.array(), 0, buf.position());
            buf.clear();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Sends one datagram and waits for the reply (a Unix one from a socket bound in {@code dir}). */
    static String datagramRoundTrip(SocketAddress server, String text, Path dir) throws IOException {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        if (server instanceof UnixDomainSocketAddress) {
            return unixDatagramRoundTrip(server, data, dir);
        }
        try (DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET)) {
            c.connect(server);
            c.write(ByteBuffer.wrap(data));
            c.socket().setSoTimeout(60_000);
            java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[8192], 8192);
            c.socket().receive(p);
            return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
        }
    }

    private static int clientCounter;

    private static synchronized int nextClient() {
        return ++clientCounter;
    }

    private static String unixDatagramRoundTrip(SocketAddress server, byte[] data, Path dir) throws IOException {
        Path me = dir.resolve("client-" + nextClient() + ".sock");
        Listener.UnixDatagram c = new Listener.UnixDatagram();
        try {
            c.bind(UnixDomainSocketAddress.of(me), 0, false);
            c.sendto(data, server);
            Readiness r = c.newReadiness();
            try {
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (!r.await(1_000_000_000L)) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new java.net.SocketTimeoutException("no reply from " + server + " within 60 s");
                    }
                }
            } finally {
                r.close();
            }
            BaseServer.Incoming in = c.receive();
            return new String(((DatagramRequest) in.request()).data(), StandardCharsets.UTF_8);
        } finally {
            c.close(); // removes the file
        }
    }

    /** The round trip of the transport. */
    static String roundTrip(Kind kind, SocketAddress server, String text, Path dir) throws IOException {
        return kind.stream() ? streamRoundTrip(server, text) : datagramRoundTrip(server, text, dir);
    }

    static void assertEcho(Kind kind, SocketAddress server, Path dir) throws IOException {
        String sent = kind.stream() ? TEST_STR + "second line\n" + "no newline" : TEST_STR;
        assertEquals(sent, roundTrip(kind, server, sent, dir), () -> "echo from " + kind);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
