package io.github.sysloadexporter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.metrics.Pages;
import io.github.sysloadexporter.sysload.Published;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Gauge;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No client can stop the others' scrapes: under 16 clients that send half a request and one
 * more byte every second, 16 that send nothing and 16 that begin a TLS handshake and never
 * finish it, every scrape is answered within 1 s, and every hostile connection is closed by
 * the request deadline. The servers run with the daemon's limits ({@link ServerLimits#DEFAULTS}).
 */
class ServerLimitsIT {
    static final int EACH = 16;
    static final long SCRAPE_BOUND_NANOS = 1_000_000_000L;

    @TempDir
    Path dir;

    static WebServer start(WebSecurity security) throws IOException {
        CollectorRegistry registry = new CollectorRegistry();
        Gauge.build("sysload_sysload", "test value").register(registry).set(42);
        return WebServer.start(
                new InetSocketAddress("127.0.0.1", 0),
                ServerLimits.DEFAULTS,
                security,
                Pages.of("/metrics", registry, () -> Published.NOTHING_YET));
    }

    @Test
    void slowAndSilentClientsNeitherDelayScrapesNorOutliveTheDeadline() throws Exception {
        try (WebServer server = start(WebSecurity.none())) {
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                    .timeout(Duration.ofSeconds(10))
                    .build();
            hostileRound(server.port(), null, () -> {
                HttpResponse<String> r = client.send(scrape, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertTrue(r.body().contains("sysload_sysload 42.0"), r.body());
            });
        }
    }

    @Test
    void halfTlsHandshakesNeitherDelayScrapesNorOutliveTheDeadline() throws Exception {
        new Certs(dir).make(true);
        Path config = dir.resolve("web.yml");
        Files.writeString(
                config,
                "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
                        + "basic_auth_users:\n  prometheus: '" + Certs.bcrypt("s3cret") + "'\n");
        try (WebServer server = start(WebSecurity.load(config, System::nanoTime))) {
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(trusting(dir.resolve("ca.pem")))
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            String auth =
                    "Basic " + Base64.getEncoder().encodeToString("prometheus:s3cret".getBytes(StandardCharsets.UTF_8));
            HttpRequest scrape = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/metrics"))
                    .header("Authorization", auth)
                    .timeout(Duration.ofSeconds(10))
                    .build();
            hostileRound(server.port(), clientHello(), () -> {
                HttpResponse<String> r = client.send(scrape, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertTrue(r.body().contains("sysload_sysload 42.0"), r.body());
            });
            // The handshakes ran on TlsHandshakes' thread, not where scrapes are read (it ends
            // 30 s after its last one; the round is shorter).
            assertTrue(
                    Thread.getAllStackTraces().keySet().stream()
                            .anyMatch(t -> t.getName().startsWith("sysload-tls-")),
                    "no thread sysload-tls-*");
        }
    }

    /**
     * 16 threads send wrong passwords as fast as they are answered (each a bcrypt of cost 10,
     * a new password each time, so the cache cannot answer them), and the scraper's cached
     * success is answered beside them, none of its scrapes taking 1 s.
     */
    @Test
    void aFloodOfWrongPasswordsNeitherEvictsNorDelaysTheScrapersSuccess() throws Exception {
        Path config = dir.resolve("web.yml");
        Files.writeString(config, "basic_auth_users:\n  prometheus: '" + Certs.bcrypt("s3cret") + "'\n");
        try (WebServer server = start(WebSecurity.load(config, System::nanoTime))) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/metrics");
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            HttpRequest scrape = HttpRequest.newBuilder(uri)
                    .header("Authorization", basic("prometheus", "s3cret"))
                    .timeout(Duration.ofSeconds(10))
                    .build();
            assertEquals(
                    200,
                    client.send(scrape, HttpResponse.BodyHandlers.discarding()).statusCode());
            ExecutorService flood = Executors.newFixedThreadPool(16);
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
            for (int t = 0; t < 16; t++) {
                int thread = t;
                flood.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        HttpRequest wrong = HttpRequest.newBuilder(uri)
                                .header("Authorization", basic("prometheus", "wrong-" + thread + "-" + i))
                                .timeout(Duration.ofSeconds(10))
                                .build();
                        int status = client.send(wrong, HttpResponse.BodyHandlers.discarding())
                                .statusCode();
                        assertTrue(status == 401 || status == 503, "wrong password answered " + status);
                        refused.incrementAndGet();
                    }
                    return null;
                });
            }
            long worst = 0;
            long t0 = System.nanoTime();
            try {
                while (System.nanoTime() - t0 < 8_000_000_000L) {
                    long s0 = System.nanoTime();
                    HttpResponse<String> r = client.send(scrape, HttpResponse.BodyHandlers.ofString());
                    worst = Math.max(worst, System.nanoTime() - s0);
                    assertEquals(200, r.statusCode());
                    Thread.sleep(250);
                }
            } finally {
                stop.set(true);
                flood.shutdown();
                assertTrue(flood.awaitTermination(30, TimeUnit.SECONDS));
            }
            System.out.printf(
                    "beside %d wrong passwords, the slowest cached scrape took %.1f ms%n", refused.get(), worst / 1e6);
            assertTrue(refused.get() > 16, "the flood ran: " + refused.get());
            assertTrue(worst < SCRAPE_BOUND_NANOS, "a scrape took " + worst / 1e6 + " ms");
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    interface Scrape {
        void run() throws Exception;
    }

    /**
     * Opens the hostile clients (with {@code hello}: TLS ones that send it and stop; without:
     * 16 trickling half requests and 16 silent), scrapes every 250 ms for twice the request
     * timeout, and checks the scrapes' times and that every hostile client was cut off.
     */
    static void hostileRound(int port, byte[] hello, Scrape scrape) throws Exception {
        long deadlineNanos = ServerLimits.DEFAULTS.requestTimeout().toNanos();
        List<Socket> hostile = new ArrayList<>();
        ExecutorService watchers = Executors.newCachedThreadPool();
        try {
            long opened = System.nanoTime();
            for (int i = 0; i < (hello == null ? 2 * EACH : EACH); i++) {
                Socket s = new Socket("127.0.0.1", port);
                if (hello != null) {
                    s.getOutputStream().write(hello);
                } else if (i < EACH) {
                    s.getOutputStream()
                            .write("GET /metrics HTTP/1.1\r\nHost: x\r\nX-a: ".getBytes(StandardCharsets.US_ASCII));
                }
                hostile.add(s);
            }
            List<Future<Long>> closedAfter = new ArrayList<>();
            for (int i = 0; i < hostile.size(); i++) {
                Socket s = hostile.get(i);
                boolean trickle = hello == null && i < EACH;
                closedAfter.add(watchers.submit(() -> closedAfterNanos(s, opened, trickle)));
            }
            long worst = 0;
            int scrapes = 0;
            while (System.nanoTime() - opened < 2 * deadlineNanos) {
                long t0 = System.nanoTime();
                scrape.run();
                long took = System.nanoTime() - t0;
                worst = Math.max(worst, took);
                scrapes++;
                Thread.sleep(250);
            }
            System.out.printf(
                    "%d scrapes beside %d hostile clients, slowest %.1f ms%n", scrapes, hostile.size(), worst / 1e6);
            assertTrue(worst < SCRAPE_BOUND_NANOS, "a scrape took " + worst / 1e6 + " ms");
            for (Future<Long> f : closedAfter) {
                long after = f.get(2 * deadlineNanos, TimeUnit.NANOSECONDS);
                assertTrue(after >= deadlineNanos - 500_000_000L, "closed early, after " + after / 1e6 + " ms");
                assertTrue(after < deadlineNanos + 1_500_000_000L, "closed late, after " + after / 1e6 + " ms");
            }
        } finally {
            watchers.shutdownNow();
            for (Socket s : hostile) {
                s.close();
            }
        }
    }

    /** Waits for the server to close the connection, sending a byte a second if asked. */
    static long closedAfterNanos(Socket s, long opened, boolean trickle) throws IOException {
        s.setSoTimeout(trickle ? 1000 : 20_000);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[4096];
        while (System.nanoTime() - opened < 20_000_000_000L) {
            try {
                if (in.read(buf) < 0) {
                    return System.nanoTime() - opened;
                }
            } catch (java.net.SocketTimeoutException quiet) {
                try {
                    out.write('a');
                    out.flush();
                } catch (IOException closed) {
                    return System.nanoTime() - opened;
                }
            } catch (java.net.SocketException reset) {
                return System.nanoTime() - opened;
            }
        }
        return Long.MAX_VALUE;
    }

    /** A real ClientHello, as the first flight of a TLS client that then never goes on. */
    static byte[] clientHello() throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("127.0.0.1", 0);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        assertEquals(22, hello[0], "a TLS handshake record");
        return hello;
    }

    static SSLContext trusting(Path caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
