package io.github.pyconcurrent.examples;

import com.sun.net.httpserver.HttpServer;
import io.github.pyconcurrent.gevent.CooperativeSocket;
import io.github.pyconcurrent.gevent.Gevent;
import io.github.pyconcurrent.gevent.GreenletTask;
import io.github.pyconcurrent.gevent.Hub;
import io.github.pyconcurrent.threading.UncheckedInterruptedException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Python: {@code gevent.spawn} three URL fetches, {@code joinall}: they overlap on one thread.
 * <p>The tutorial's gevent program, against three slow local endpoints instead of python.org,
 * yahoo.com and github.com:
 *
 * <pre>
 * from gevent import monkey; monkey.patch_all()
 * import gevent, urllib2
 * def f(url):
 *     print('GET: %s' % url)
 *     resp = urllib2.urlopen(url)
 *     data = resp.read()
 *     print('%d bytes received from %s.' % (len(data), url))
 * gevent.joinall([gevent.spawn(f, 'https://www.python.org/'),
 *                 gevent.spawn(f, 'https://www.yahoo.com/'),
 *                 gevent.spawn(f, 'https://github.com/')])
 * </pre>
 *
 * The local server answers a request only once all three requests have arrived (or after 20
 * seconds), so the program finishes promptly only if the three fetches overlap - on one thread.
 * Java has no monkey-patching: {@link #fetch} speaks HTTP/1.0 over a {@link CooperativeSocket}.
 */
public final class GeventTutorial {
    private static final int PAGES = 3;

    private GeventTutorial() {}

    public static void main(String[] args) throws Exception {
        run(System.out);
    }

    /**
     * Starts the slow server, fetches the three pages concurrently, prints as the tutorial does;
     * returns true when the server saw all three requests before it sent any response.
     */
    public static boolean run(PrintStream out) throws Exception {
        try (SlowServer server = new SlowServer(PAGES)) {
            List<GreenletTask<Integer>> jobs = new ArrayList<>();
            for (String page : List.of("/python", "/yahoo", "/github")) {
                URI url = server.uri(page);
                jobs.add(Gevent.spawn(() -> f(url, out)));
            }
            try {
                if (!Gevent.joinall(jobs, Duration.ofSeconds(60))) {
                    throw new IllegalStateException("fetches did not finish");
                }
                for (GreenletTask<Integer> job : jobs) {
                    job.get();  // rethrows a failed fetch
                }
            } finally {
                Hub.get().destroy();
            }
            return server.overlapped();
        }
    }

    private static int f(URI url, PrintStream out) {
        out.println("GET: " + url);
        byte[] data = fetch(url);
        out.println(data.length + " bytes received from " + url + ".");
        return data.length;
    }

    /** GET {@code url} (http, loopback) and return the response body. */
    public static byte[] fetch(URI url) {
        try (CooperativeSocket s = Gevent.socket()) {
            s.connect(new InetSocketAddress(url.getHost(), url.getPort()));
            s.sendall(("GET " + url.getPath() + " HTTP/1.0\r\nHost: " + url.getHost()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] response = s.recvAll();
            String head = new String(response, StandardCharsets.ISO_8859_1);
            if (!head.startsWith("HTTP/1.1 200") && !head.startsWith("HTTP/1.0 200")) {
                throw new IllegalStateException("unexpected response: " + head.lines().findFirst().orElse(""));
            }
            int body = head.indexOf("\r\n\r\n") + 4;
            return java.util.Arrays.copyOfRange(response, body, response.length);
        }
    }

    /**
     * The JDK's HTTP server on 127.0.0.1 (port 0) whose every handler waits until {@code expected}
     * requests have arrived before answering: the delay is the server's, not the client's.
     */
    static final class SlowServer implements AutoCloseable {
        private final HttpServer http;
        private final ExecutorService handlers;
        private final CountDownLatch allArrived;
        private volatile boolean overlapped = true;

        SlowServer(int expected) {
            allArrived = new CountDownLatch(expected);
            handlers = Executors.newFixedThreadPool(expected);
            try {
                http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            http.setExecutor(handlers);
            http.createContext("/", exchange -> {
                allArrived.countDown();
                boolean all;
                try {
                    all = allArrived.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    all = false;
                }
                if (!all) {
                    overlapped = false;
                }
                byte[] body = ("<html>slow page " + exchange.getRequestURI().getPath() + "</html>")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            http.start();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + path);
        }

        /** True when every request arrived before any response was sent. */
        boolean overlapped() {
            return overlapped && allArrived.getCount() == 0;
        }

        @Override
        public void close() {
            http.stop(0);
            handlers.shutdownNow();
            try {
                if (!handlers.awaitTermination(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("HTTP handler threads did not stop");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedInterruptedException(e);
            }
        }
    }
}
