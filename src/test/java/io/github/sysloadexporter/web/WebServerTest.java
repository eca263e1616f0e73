package io.github.sysloadexporter.web;

import static io.github.sysloadexporter.web.WebServers.HELLO;
import static io.github.sysloadexporter.web.WebServers.get;
import static io.github.sysloadexporter.web.WebServers.start;
import static io.github.sysloadexporter.web.WebServers.statusLine;
import static io.github.sysloadexporter.web.WebServers.withPassword;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.testing.Http;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's limits, each shown with a small value of its own, those that take no waiting
 * on the clock; the deadlines, the idle timeout and the delayed refusal are WebServerTimingIT's.
 */
class WebServerTest {
    /**
     * Requests waiting for a password check count against the limit: with a limit of one, of
     * eight requests sent at once with wrong passwords (each a bcrypt of tens of milliseconds)
     * some get 503 at once, and the one checked its 401.
     */
    @Test
    void overTheRequestLimitARequestGets503AtOnce(@TempDir Path dir) throws Exception {
        ServerLimits one = new ServerLimits(Duration.ofSeconds(5), Duration.ofSeconds(30), 1, 100);
        try (WebServer server = start(one, withPassword(dir, "s3cret"), Map.of("/", HELLO))) {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket s = new Socket("127.0.0.1", server.port());
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(get("/", "prometheus", "wrong" + i));
                    sockets.add(s);
                }
                List<String> statuses = new ArrayList<>();
                for (Socket s : sockets) {
                    statuses.add(statusLine(s.getInputStream()));
                }
                assertTrue(statuses.stream().anyMatch(l -> l.contains(" 401 ")), statuses.toString());
                assertTrue(statuses.stream().anyMatch(l -> l.contains(" 503 ")), statuses.toString());
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    /**
     * A request without a path (CONNECT) is answered, and holds nothing: more of them than the
     * request limit leave the server serving.
     */
    @Test
    void requestsWithoutAPathAreAnsweredAndHoldNoPlace() throws Exception {
        try (WebServer server = start(ServerLimits.DEFAULTS, Map.of("/", HELLO))) {
            for (int i = 0; i < ServerLimits.DEFAULTS.maxRequests() + 10; i++) {
                try (Socket s = new Socket("127.0.0.1", server.port())) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream()
                            .write("CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                    String status = statusLine(s.getInputStream());
                    assertTrue(status.matches("HTTP/1\\.1 4\\d\\d .*"), status);
                }
            }
            Http.Response served = new Http().get(server.port(), "/");
            assertEquals(200, served.status(), served.body());
        }
    }

    /**
     * Past the connection limit connections wait to be accepted, and once the crowd is gone the
     * server takes new ones again. (The flood that once closed the listening socket, 10,000
     * connections at once, is hostile-clients.py's round flood10000, too large for a unit test.)
     */
    @Test
    void pastTheConnectionLimitNewConnectionsWaitAndAreServedOnceTheCrowdGoes() throws Exception {
        ServerLimits two = new ServerLimits(Duration.ofSeconds(5), Duration.ofSeconds(30), 40, 2);
        try (WebServer server = start(two, Map.of("/", HELLO))) {
            List<Socket> crowd = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    Socket s = new Socket("127.0.0.1", server.port());
                    s.setSoTimeout(10_000);
                    crowd.add(s);
                }
                // The first two, accepted in the order they came, are served: the server holds
                // its two connections, and the other four wait in the accept queue.
                for (Socket s : crowd.subList(0, 2)) {
                    s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    String status = statusLine(s.getInputStream());
                    assertTrue(status.contains(" 200 "), status);
                }
            } finally {
                for (Socket s : crowd) {
                    s.close();
                }
            }
            Http.Response served = new Http().get(server.port(), "/");
            assertEquals("hello\n", served.body(), "not served after the crowd went");
        }
    }

    /**
     * A kept-alive connection holds a few kilobytes between requests, however many it has
     * made: one that kept a lookup table of its first request's header fields (100 KB from the
     * second request on, Jetty's default) let 800 such connections, each scraping twice, fill
     * the package's 64 MB heap (README, Limits).
     */
    @Test
    void keptAliveConnectionsHoldLittleHeapEach() throws Exception {
        int connections = 200;
        byte[] scrape = ("GET / HTTP/1.1\r\nHost: 127.0.0.1:9858\r\nUser-Agent: Prometheus/2.42.0\r\n"
                        + "Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5\r\n"
                        + "Accept-Encoding: gzip\r\nX-Prometheus-Scrape-Timeout-Seconds: 10\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (WebServer server = start(ServerLimits.DEFAULTS, Map.of("/", HELLO))) {
            List<Socket> kept = new ArrayList<>();
            try {
                long before = heapUsed();
                for (int i = 0; i < connections; i++) {
                    Socket s = new Socket("127.0.0.1", server.port());
                    s.setSoTimeout(10_000);
                    kept.add(s);
                    for (int request = 0; request < 2; request++) {
                        s.getOutputStream().write(scrape);
                        assertEquals("hello\n", body(s.getInputStream()));
                    }
                }
                long each = (heapUsed() - before) / connections;
                assertTrue(each < 20_000, each + " bytes of heap per kept-alive connection");
            } finally {
                for (Socket s : kept) {
                    s.close();
                }
            }
        }
    }

    private static long heapUsed() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The body of the response coming on {@code in}, by its Content-Length. */
    private static String body(InputStream in) throws IOException {
        int length = -1;
        for (String line; !(line = line(in)).isEmpty(); ) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            b.append((char) c);
        }
        return b.toString().trim();
    }
}
