package io.github.sysloadexporter.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.sysload.Published;
import io.github.sysloadexporter.testing.Http;
import io.github.sysloadexporter.web.ServerLimits;
import io.github.sysloadexporter.web.WebSecurity;
import io.github.sysloadexporter.web.WebServer;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scrapes between two samples are served the bytes rendered once for the sample, and compressed once. */
class CachedExpositionTest {
    final AtomicInteger collects = new AtomicInteger();
    final AtomicReference<Published> sample = new AtomicReference<>(published());
    final Http http = new Http();
    WebServer server;

    @BeforeEach
    void start() throws Exception {
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                int n = collects.incrementAndGet();
                return List.of(new MetricFamilySamples(
                        "renders",
                        Type.GAUGE,
                        "How often collect() ran.",
                        List.of(new MetricFamilySamples.Sample("renders", List.of(), List.of(), n))));
            }
        });
        server = WebServer.start(
                new InetSocketAddress("127.0.0.1", 0),
                ServerLimits.DEFAULTS,
                WebSecurity.none(),
                Pages.of("/metrics", registry, sample::get));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A new value of the sampler's, as it publishes one per sample. */
    static Published published() {
        return new Published(null, 0, 0, 0, Map.of());
    }

    Http.Response get(String path, String... headers) throws Exception {
        return http.get(server.port(), path, headers);
    }

    Http.Raw send(String method, String path, String... headers) throws Exception {
        return http.send(method, server.port(), path, headers);
    }

    @Test
    void oneRenderPerSample() throws Exception {
        String first = get("/metrics").body();
        String second = send("GET", "/metrics", "Accept-Encoding", "gzip").text();
        assertEquals(first, second);
        assertEquals(1, collects.get());
        assertTrue(first.contains("renders 1.0\n"), first);

        sample.set(published()); // the sampler published a new sample
        String third = get("/metrics").body();
        assertNotEquals(first, third);
        assertEquals(2, collects.get());
    }

    /** Prometheus sends Accept-Encoding: gzip; the body is the rendering of the sample, compressed once. */
    @Test
    void gzipWhenAskedForCompressedOncePerSample() throws Exception {
        Http.Raw plain = send("GET", "/metrics");
        assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty());
        assertEquals("Accept-Encoding", plain.headers().firstValue("Vary").orElseThrow());

        Http.Raw gz = send("GET", "/metrics", "Accept-Encoding", "gzip");
        assertEquals(200, gz.status());
        assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElseThrow());
        assertEquals("Accept-Encoding", gz.headers().firstValue("Vary").orElseThrow());
        assertEquals(
                "text/plain; version=0.0.4; charset=utf-8",
                gz.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(
                Long.toString(gz.body().length),
                gz.headers().firstValue("Content-Length").orElseThrow());
        assertEquals(plain.text(), gz.text());
        // the same bytes again: kept, not compressed anew
        assertArrayEquals(
                gz.body(),
                send("GET", "/metrics", "Accept-Encoding", "gzip, deflate, br").body());
        assertEquals(1, collects.get());

        sample.set(published());
        Http.Raw next = send("GET", "/metrics", "Accept-Encoding", "gzip");
        assertTrue(next.text().contains("renders 2.0\n"), next.text());
        assertEquals(2, collects.get());
    }

    /**
     * The kept Deflater, reset for each page, makes a gzip member any reader takes: of pages
     * short and long, compressible and not (the output outgrows its first guess), one after the
     * other; and when it is in use, the one made for the call does the same.
     */
    @Test
    void gzipOfPagesOneAfterAnotherAndWhileTheKeptOneIsBusy() throws Exception {
        java.util.Random random = new java.util.Random(21);
        byte[] noise = new byte[70_000];
        random.nextBytes(noise);
        List<byte[]> pages = List.of(
                new byte[0],
                "sysload_sysload 42.0\n".getBytes(StandardCharsets.UTF_8),
                "# HELP x y\n".repeat(5000).getBytes(StandardCharsets.UTF_8),
                noise);
        CachedExposition exposition = new CachedExposition(new CollectorRegistry(), Object::new);
        for (int round = 0; round < 2; round++) {
            for (byte[] page : pages) {
                assertArrayEquals(page, gunzip(exposition.gzip(page)));
            }
        }
        byte[] whileBusy = exposition.gzipWhileBusy(() -> exposition.gzip(noise));
        assertArrayEquals(noise, gunzip(whileBusy));
    }

    static byte[] gunzip(byte[] gz) throws java.io.IOException {
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Test
    void gzipRefusedOrNotOfferedIsPlain() throws Exception {
        for (String refused : List.of("identity", "gzip;q=0", "br", "*;q=0")) {
            Http.Raw r = send("GET", "/metrics", "Accept-Encoding", refused);
            assertTrue(r.headers().firstValue("Content-Encoding").isEmpty(), refused);
            assertTrue(r.text().contains("renders 1.0\n"), refused);
        }
    }

    @Test
    void acceptEncodingIsReadAsRfc9110Says() {
        assertTrue(CachedExposition.acceptsGzip(List.of("gzip")));
        assertTrue(CachedExposition.acceptsGzip(List.of("deflate, GZIP;q=0.5")));
        assertTrue(CachedExposition.acceptsGzip(List.of("br", "x-gzip")));
        assertTrue(CachedExposition.acceptsGzip(List.of("*")));
        assertTrue(CachedExposition.acceptsGzip(List.of("gzip ; q=1.0, identity; q=0.5, *;q=0")));
        assertFalse(CachedExposition.acceptsGzip(null));
        assertFalse(CachedExposition.acceptsGzip(List.of("")));
        assertFalse(CachedExposition.acceptsGzip(List.of("identity")));
        assertFalse(CachedExposition.acceptsGzip(List.of("gzip;q=0")));
        assertFalse(CachedExposition.acceptsGzip(List.of("gzip;q=0.000")));
        assertFalse(CachedExposition.acceptsGzip(List.of("*, gzip;q=0")));
        assertFalse(CachedExposition.acceptsGzip(List.of("gzip;q=high")));
        assertFalse(CachedExposition.acceptsGzip(List.of("gzipped")));
    }

    @Test
    void headGetsTheHeadersOfTheGetAndNoBody() throws Exception {
        Http.Raw get = send("GET", "/metrics");
        Http.Raw head = send("HEAD", "/metrics");
        assertEquals(200, head.status());
        assertEquals(0, head.body().length);
        assertEquals(
                Long.toString(get.body().length),
                head.headers().firstValue("Content-Length").orElseThrow());
        assertEquals(get.headers().firstValue("Content-Type"), head.headers().firstValue("Content-Type"));

        Http.Raw gzGet = send("GET", "/metrics", "Accept-Encoding", "gzip");
        Http.Raw gzHead = send("HEAD", "/metrics", "Accept-Encoding", "gzip");
        assertEquals(0, gzHead.body().length);
        assertEquals("gzip", gzHead.headers().firstValue("Content-Encoding").orElseThrow());
        assertEquals(
                Long.toString(gzGet.body().length),
                gzHead.headers().firstValue("Content-Length").orElseThrow());

        Http.Raw filtered = send("HEAD", "/metrics?name[]=renders");
        assertEquals(200, filtered.status());
        assertEquals(0, filtered.body().length);
    }

    /**
     * A HEAD's Content-Length announces a body that does not come: on a kept-alive connection
     * the next response begins right after the HEAD's headers.
     */
    @Test
    void aKeptAliveConnectionGoesOnAfterAHead() throws Exception {
        String body = get("/metrics").body();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write(("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
                                    + "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String both = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int next = both.indexOf("\r\n\r\n") + 4;
            assertTrue(both.startsWith("HTTP/1.1 200 ", next), both);
            assertTrue(both.endsWith("\r\n\r\n" + body), both);
        }
    }

    @Test
    void openMetricsIsRenderedAndCompressedOncePerSampleToo() throws Exception {
        // What Prometheus sends: OpenMetrics first, the text format as a fallback, and gzip.
        String accept = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
        Http.Response om = get("/metrics", "Accept", accept);
        assertEquals(
                TextFormat.CONTENT_TYPE_OPENMETRICS_100,
                om.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(om.headers().firstValue("Content-Encoding").isEmpty());
        assertTrue(om.body().endsWith("# EOF\n"), om.body());
        assertTrue(om.body().contains("\nrenders 1.0\n"), om.body());
        assertEquals(om.body(), get("/metrics", "Accept", accept).body());
        // as Prometheus asks: OpenMetrics, gzipped
        Http.Raw gz = send("GET", "/metrics", "Accept", accept, "Accept-Encoding", "gzip");
        assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElseThrow());
        assertEquals(om.body(), gz.text());
        assertEquals(1, collects.get());

        // The text format is a rendering of its own, then cached as well.
        String plain = get("/metrics").body();
        assertTrue(plain.contains("\nrenders 2.0\n") && !plain.contains("# EOF"), plain);
        assertEquals(plain, get("/metrics").body());
        assertEquals(om.body(), get("/metrics", "Accept", accept).body());
        assertEquals(2, collects.get());

        sample.set(published());
        assertTrue(get("/metrics", "Accept", accept).body().contains("\nrenders 3.0\n"));
        assertEquals(3, collects.get());
    }

    @Test
    void nameFiltersGoToSimpleclientsHandler() throws Exception {
        Http.Response filtered = get("/metrics?name[]=nothing");
        assertEquals(200, filtered.status());
        assertEquals("", filtered.body());
        Http.Response one = get("/metrics?name[]=renders");
        assertTrue(one.body().contains("\nrenders "), one.body());
    }
}
