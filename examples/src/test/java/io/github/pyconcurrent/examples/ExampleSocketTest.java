package io.github.pyconcurrent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pyconcurrent.threading.Thread;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hand-written select-loop hotline server and the interactive client, in-process on loopback
 * (port 0): the client's console is scripted, the server stopped and closed at the end.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExampleSocketTest {

    /** welcome; "1234" -> retry; "0" -> the operator line; "exit" ends it, and the server's thread ends. */
    @Test
    void aClientTalksToTheSelectServer() {
        ByteArrayOutputStream serverLog = new ByteArrayOutputStream();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (PrintStream log = new PrintStream(serverLog, true, StandardCharsets.UTF_8);
                PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
                SelectServer server = new SelectServer(new InetSocketAddress("127.0.0.1", 0), log)) {
            Thread serving = new Thread("select-server", server::serveForever, true);
            serving.start();
            try {
                HotlineClient.run(server.address(), new ByteArrayInputStream("1234\n\n0\nexit\n".getBytes(StandardCharsets.UTF_8)), out);
            } finally {
                server.shutdown();
                assertTrue(serving.join(Duration.ofSeconds(30)), "the select loop did not stop");
            }
        }   // close(): listener closed, the client's thread joined
        List<String> lines = console.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of(
                "receive: " + Hotline.WELCOME,
                "please input:receive: " + Hotline.RETRY,
                "please input:please input:receive: " + Hotline.OPERATOR,
                "please input:"), lines);
        String log = serverLog.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("looping") && log.contains("get request"), log);
    }

    /** The end of the client's input counts as "exit": the conversation ends cleanly. */
    @Test
    void theEndOfInputEndsTheConversation() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
                PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
                SelectServer server = new SelectServer(new InetSocketAddress("127.0.0.1", 0), log)) {
            Thread serving = new Thread("select-server", server::serveForever, true);
            serving.start();
            try {
                HotlineClient.run(server.address(), new ByteArrayInputStream(new byte[0]), out);
            } finally {
                server.shutdown();
                assertTrue(serving.join(Duration.ofSeconds(30)), "the select loop did not stop");
            }
        }
        assertEquals(List.of("receive: " + Hotline.WELCOME, "please input:"),
                console.toString(StandardCharsets.UTF_8).lines().toList());
    }

    /** The server answers exactly as the tutorial's handler does. */
    @Test
    void theHotlineAnswers() {
        assertEquals(Hotline.OPERATOR, Hotline.answer("0"));
        assertEquals(Hotline.RETRY, Hotline.answer("1xxx"));
        assertEquals(null, Hotline.answer("exit"));
        assertEquals(null, Hotline.answer(""));
    }
}
