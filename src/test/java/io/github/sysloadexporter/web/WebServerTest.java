package io.github.sysloadexporter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.testing.Http;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's limits, each shown with a small value of its own. */
class WebServerTest {
    static final Page HELLO = request -> Page.Reply.text(200, "hello\n");

    static WebServer start(ServerLimits limits, Map<String, Page> pages) throws IOException {
        return WebServer.start(new InetSocketAddress("127.0.0.1", 0), limits, WebSecurity.none(), pages);
    }

    /**
     * A client that asks for a page larger than the socket buffers and takes none of it holds
     * no place in the request limit (a second request is served at once, with a limit of one),
     * and its connection is closed at the request deadline, long before the page is taken.
     */
    @Test
    void aResponseNobodyTakesHoldsNoPlaceAndIsCutAtTheDeadline() throws Exception {
        byte[] big = new byte[32 << 20];
        Page large = request -> new Page.Reply(200, "application/octet-stream", Map.of(), big);
        ServerLimits one = new ServerLimits(Duration.ofMillis(500), Duration.ofSeconds(30), 1, 100);
        try (WebServer server = start(one, Map.of("/large", large, "/", HELLO));
                Socket reader = new Socket("127.0.0.1", server.port())) {
            // Default buffers: at most some 10 MB of the page between them, taken at once after the
            // deadline (a small window would have the kernel drain the rest for minutes).
            reader.getOutputStream()
                    .write("GET /large HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = reader.getInputStream();
            assertTrue(in.read() >= 0, "the response has begun");
            Http.Response served = new Http().get(server.port(), "/");
            assertEquals(200, served.status(), served.body());
            Thread.sleep(1500); // past the deadline, not reading
            reader.setSoTimeout(10_000);
            long taken = 1;
            try {
                for (int n; (n = in.read(new byte[65536])) > 0; ) {
                    taken += n;
                }
            } catch (SocketException reset) {
                // closed with data unread: as good as the end
            }
            assertTrue(taken < big.length, "the whole page was taken, " + taken + " bytes: not cut");
        }
    }

    /**
     * Requests waiting for a password check count against the limit: with a limit of one, of
     * eight requests sent at once with wrong passwords (each a bcrypt of tens of milliseconds)
     * some get 503 at once, and the one checked its 401.
     */
    @Test
    void overTheRequestLimitARequestGets503AtOnce(@TempDir Path dir) throws Exception {
        ServerLimits one = new ServerLimits(Duration.ofSeconds(5), Duration.ofSeconds(30), 1, 100);
        try (WebServer server = WebServer.start(
                new InetSocketAddress("127.0.0.1", 0), one, withPassword(dir, "s3cret"), Map.of("/", HELLO))) {
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
     * One host cannot fill the request limit and the queue of password checks: of 100 requests
     * with wrong passwords sent at once from 127.0.0.1, most are refused at once, and the
     * scraper, from 127.0.0.2 with the right password not yet cached, is checked and served
     * while the others still wait for bcrypt, not refused with 503.
     */
    @Test
    void oneHostSendingWrongPasswordsCannotKeepAnotherOut(@TempDir Path dir) throws Exception {
        try (WebServer server = WebServer.start(
                new InetSocketAddress("127.0.0.1", 0),
                ServerLimits.DEFAULTS,
                withPassword(dir, "s3cret"),
                Map.of("/", HELLO))) {
            List<Socket> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 100; i++) {
                    Socket s = new Socket("127.0.0.1", server.port());
                    s.getOutputStream().write(get("/", "prometheus", "wrong" + i));
                    flood.add(s);
                }
                // Until half of them are answered (most refused): the others are then waiting for bcrypt,
                // and without a bound per host they would hold all 40 places of the request limit.
                List<Socket> waiting = new ArrayList<>(flood);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (waiting.size() > 50 && System.nanoTime() < deadline) {
                    for (java.util.Iterator<Socket> it = waiting.iterator(); it.hasNext(); ) {
                        Socket s = it.next();
                        if (s.getInputStream().available() > 0) {
                            statusLine(s.getInputStream()); // 503, or 401 once checked
                            it.remove();
                        }
                    }
                    Thread.onSpinWait();
                }
                try (Socket scraper = new Socket()) {
                    scraper.bind(new InetSocketAddress("127.0.0.2", 0));
                    scraper.connect(new InetSocketAddress("127.0.0.1", server.port()));
                    scraper.setSoTimeout(10_000);
                    scraper.getOutputStream().write(get("/", "prometheus", "s3cret"));
                    String status = statusLine(scraper.getInputStream());
                    assertTrue(status.contains(" 200 "), status);
                }
            } finally {
                for (Socket s : flood) {
                    s.close();
                }
            }
        }
    }

    static WebSecurity withPassword(Path dir, String password) throws Exception {
        Path config = dir.resolve("web.yml");
        // Cost 10, as operators' hashes: each check of a password not cached takes tens of ms.
        Files.writeString(config, "basic_auth_users:\n  prometheus: '" + Certs.bcrypt(password, 10) + "'\n");
        return WebSecurity.load(config, System::nanoTime);
    }

    static byte[] get(String path, String user, String password) {
        String credentials =
                Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return ("GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + credentials + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The status line of the response coming on {@code in}. */
    static String statusLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            b.append((char) c);
        }
        return b.toString().trim();
    }

    @Test
    void aConnectionThatSendsHalfARequestIsClosedAtTheDeadlineWhileItTrickles() throws Exception {
        ServerLimits quick = new ServerLimits(Duration.ofMillis(400), Duration.ofSeconds(30), 40, 100);
        try (WebServer server = start(quick, Map.of("/", HELLO));
                Socket s = new Socket("127.0.0.1", server.port())) {
            long t0 = System.nanoTime();
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nX-a: ".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(100);
            boolean closed = false;
            while (!closed && System.nanoTime() - t0 < 10_000_000_000L) {
                try {
                    closed = s.getInputStream().read() < 0;
                } catch (java.net.SocketTimeoutException quiet) {
                    try {
                        s.getOutputStream().write('a'); // a byte every 100 ms: never idle
                    } catch (SocketException gone) {
                        closed = true;
                    }
                } catch (SocketException reset) {
                    closed = true;
                }
            }
            double after = (System.nanoTime() - t0) / 1e9;
            assertTrue(closed, "still open after 10 s of trickling");
            assertTrue(after >= 0.35, "closed before the deadline, after " + after + " s");
        }
    }

    @Test
    void aKeptAliveConnectionServesRequestsThenIsClosedWhenIdle() throws Exception {
        ServerLimits idle = new ServerLimits(Duration.ofSeconds(5), Duration.ofMillis(300), 40, 100);
        try (WebServer server = start(idle, Map.of("/", HELLO));
                Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            for (int i = 0; i < 3; i++) {
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String response = readResponse(in);
                assertTrue(response.startsWith("HTTP/1.1 200"), response);
                assertTrue(response.endsWith("hello\n"), response);
            }
            assertEquals(-1, in.read(), "closed once idle");
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
            java.util.List<Socket> crowd = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    crowd.add(new Socket("127.0.0.1", server.port()));
                }
                Thread.sleep(200); // the server has taken the first two, and stopped accepting
            } finally {
                for (Socket s : crowd) {
                    s.close();
                }
            }
            Http.Response served =
                    new Http().await(Http.local(server.port(), "/"), r -> r.status() == 200, Duration.ofSeconds(10));
            assertTrue(served != null && served.body().equals("hello\n"), "not served after the crowd went");
        }
    }

    /** One response whose body is "hello\n" (6 bytes), read byte by byte up to its end. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("hello\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }
}
