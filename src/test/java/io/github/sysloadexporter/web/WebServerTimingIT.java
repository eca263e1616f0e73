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
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's limits that are about time, each shown with a small value of its own on the
 * real clock: the request deadline, the idle timeout, and a host's refused password checks
 * answered a second later while bcrypt (cost 10, as operators' hashes) runs. Integration
 * tests because they wait for those times to pass; WebServerTest has the others.
 */
class WebServerTimingIT {
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
     * One host cannot fill the request limit and the queue of password checks: of 100 requests
     * with wrong passwords sent at once from 127.0.0.1, most are refused at once, and the
     * scraper, from 127.0.0.2 with the right password not yet cached, is checked and served
     * while the others still wait for bcrypt, not refused with 503.
     */
    @Test
    void oneHostSendingWrongPasswordsCannotKeepAnotherOut(@TempDir Path dir) throws Exception {
        try (WebServer server = start(ServerLimits.DEFAULTS, withPassword(dir, "s3cret"), Map.of("/", HELLO))) {
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
