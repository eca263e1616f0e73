package io.github.sysloadexporter.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.web.WebSecurity;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scrapes between two samples are served the bytes rendered once for the sample. */
class CachedExpositionTest {
    final AtomicInteger collects = new AtomicInteger();
    final AtomicReference<Object> sample = new AtomicReference<>(new Object());
    final HttpClient http = HttpClient.newHttpClient();
    MetricsServer server;

    @BeforeEach
    void start() throws Exception {
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                int n = collects.incrementAndGet();
                return List.of(new MetricFamilySamples("renders", Type.GAUGE, "How often collect() ran.",
                        List.of(new MetricFamilySamples.Sample("renders", List.of(), List.of(), n))));
            }
        });
        server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), "/metrics", registry, sample::get,
                WebSecurity.none());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<String> get(String path, String header, String value) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (header != null) {
            b.header(header, value);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void oneRenderPerSample() throws Exception {
        String first = get("/metrics", null, null).body();
        String second = get("/metrics", "Accept-Encoding", "gzip").body();
        assertEquals(first, second);
        assertEquals(1, collects.get());
        assertTrue(first.contains("renders 1.0\n"), first);

        sample.set(new Object()); // the sampler published a new sample
        String third = get("/metrics", null, null).body();
        assertNotEquals(first, third);
        assertEquals(2, collects.get());
    }

    @Test
    void plainTextEvenWhenGzipIsOffered() throws Exception {
        HttpResponse<String> r = get("/metrics", "Accept-Encoding", "gzip");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Encoding").isEmpty());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void openMetricsIsRenderedOncePerSampleTooAndNotCompressed() throws Exception {
        // What Prometheus sends: OpenMetrics first, the text format as a fallback, and gzip.
        String accept = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
        HttpResponse<String> om = get("/metrics", "Accept", accept);
        assertEquals(TextFormat.CONTENT_TYPE_OPENMETRICS_100, om.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(om.headers().firstValue("Content-Encoding").isEmpty());
        assertTrue(om.body().endsWith("# EOF\n"), om.body());
        assertTrue(om.body().contains("\nrenders 1.0\n"), om.body());
        assertEquals(om.body(), get("/metrics", "Accept", accept).body());
        assertEquals(1, collects.get());

        // The text format is a rendering of its own, then cached as well.
        String plain = get("/metrics", null, null).body();
        assertTrue(plain.contains("\nrenders 2.0\n") && !plain.contains("# EOF"), plain);
        assertEquals(plain, get("/metrics", null, null).body());
        assertEquals(om.body(), get("/metrics", "Accept", accept).body());
        assertEquals(2, collects.get());

        sample.set(new Object());
        assertTrue(get("/metrics", "Accept", accept).body().contains("\nrenders 3.0\n"));
        assertEquals(3, collects.get());
    }

    @Test
    void nameFiltersGoToSimpleclientsHandler() throws Exception {
        HttpResponse<String> filtered = get("/metrics?name[]=nothing", null, null);
        assertEquals(200, filtered.statusCode());
        assertEquals("", filtered.body());
        HttpResponse<String> one = get("/metrics?name[]=renders", null, null);
        assertTrue(one.body().contains("\nrenders "), one.body());
    }
}
