package io.github.sysloadexporter.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.sysload.ProcessStats;
import io.github.sysloadexporter.sysload.Published;
import io.github.sysloadexporter.testing.Http;
import io.github.sysloadexporter.web.WebSecurity;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scrapes between two samples are served the bytes rendered once for the sample. */
class CachedExpositionTest {
    final AtomicInteger collects = new AtomicInteger();
    final AtomicReference<Published> sample = new AtomicReference<>(published());
    final Http http = new Http();
    MetricsServer server;

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
        server = MetricsServer.start(
                new InetSocketAddress("127.0.0.1", 0), "/metrics", registry, sample::get, WebSecurity.none());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A new value of the sampler's, as it publishes one per sample. */
    static Published published() {
        return new Published(null, 0, 0, 0, ProcessStats.UNKNOWN, Map.of());
    }

    Http.Response get(String path, String... headers) throws Exception {
        return http.get(server.port(), path, headers);
    }

    @Test
    void oneRenderPerSample() throws Exception {
        String first = get("/metrics").body();
        String second = get("/metrics", "Accept-Encoding", "gzip").body();
        assertEquals(first, second);
        assertEquals(1, collects.get());
        assertTrue(first.contains("renders 1.0\n"), first);

        sample.set(published()); // the sampler published a new sample
        String third = get("/metrics").body();
        assertNotEquals(first, third);
        assertEquals(2, collects.get());
    }

    @Test
    void plainTextEvenWhenGzipIsOffered() throws Exception {
        Http.Response r = get("/metrics", "Accept-Encoding", "gzip");
        assertEquals(200, r.status());
        assertTrue(r.headers().firstValue("Content-Encoding").isEmpty());
        assertEquals(
                "text/plain; version=0.0.4; charset=utf-8",
                r.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void openMetricsIsRenderedOncePerSampleTooAndNotCompressed() throws Exception {
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
