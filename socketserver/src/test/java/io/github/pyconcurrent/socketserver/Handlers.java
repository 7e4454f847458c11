package io.github.pyconcurrent.socketserver;

import java.nio.charset.StandardCharsets;

/** The request handlers of the tests (public, static, no-arg: forking servers build them by name). */
final class Handlers {
    private Handlers() {}

    static final Kind.Handlers ECHO = new Kind.Handlers(LineEcho.class, DatagramEcho.class);

    /** CPython's test_socketserver StreamRequestHandler: echo every line. */
    public static class LineEcho extends StreamRequestHandler {
        @Override
        protected void handle() throws Exception {
            byte[] line;
            while ((line = rfile.readline()).length > 0) {
                wfile.write(line);
            }
        }
    }

    /** CPython's DatagramRequestHandler: echo the first line. */
    public static class DatagramEcho extends DatagramRequestHandler {
        @Override
        protected void handle() throws Exception {
            wfile.write(rfile.readline());
        }
    }

    /** Answers a line with the pid of the JVM that serves. */
    public static class Pid extends StreamRequestHandler {
        @Override
        protected void handle() throws Exception {
            rfile.readline(); // closing with unread data would reset the connection
            wfile.write((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Answers the pid for a datagram. */
    public static class DatagramPid extends DatagramRequestHandler {
        @Override
        protected void handle() throws Exception {
            wfile.write((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Echoes lines, but a line "boom\n" throws. */
    public static class Failing extends StreamRequestHandler {
        @Override
        protected void handle() throws Exception {
            byte[] line;
            while ((line = rfile.readline()).length > 0) {
                if (new String(line, StandardCharsets.US_ASCII).equals("boom\n")) {
                    throw new IllegalStateException("boom, as the test asked");
                }
                wfile.write(line);
            }
        }
    }
}
