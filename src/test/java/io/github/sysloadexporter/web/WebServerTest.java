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
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The server's limits, each shown with a small value of its own. */
class WebServerTest {
    static final Page HELLO = request -> Page.Reply.text(200, "hello\n");

    static WebServer start(ServerLimits limits, Map<String, Page> pages) throws IOException {
        return WebServer.start(new InetSocketAddress("127.0.0.1", 0), limits, WebSecurity.none(), pages);
    }

    @Test
    void overTheRequestLimitARequestGets503AtOnceAndTheOthersGoOn() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Page slow = request -> {
            entered.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Page.Reply.text(200, "slow\n");
        };
        ServerLimits one = new ServerLimits(Duration.ofSeconds(5), Duration.ofSeconds(30), 1, 100);
        try (WebServer server = start(one, Map.of("/slow", slow, "/", HELLO))) {
            Http http = new Http();
            CompletableFuture<Http.Response> held = CompletableFuture.supplyAsync(() -> {
                try {
                    return http.get(server.port(), "/slow");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(entered.await(10, TimeUnit.SECONDS), "the first request reached its page");
            Http.Response refused = http.get(server.port(), "/");
            assertEquals(503, refused.status());
            assertTrue(refused.body().contains("too many requests"), refused.body());
            release.countDown();
            assertEquals("slow\n", held.get(10, TimeUnit.SECONDS).body());
            assertEquals(200, http.get(server.port(), "/").status(), "served again once the first was done");
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
