package io.github.sysloadexporter.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.web.WebSecurity;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
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
    void openMetricsAndNameFiltersGoToSimpleclientsHandler() throws Exception {
        HttpResponse<String> om = get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
        assertTrue(om.headers().firstValue("Content-Type").orElseThrow().startsWith("application/openmetrics-text"));
        assertTrue(om.body().endsWith("# EOF\n"), om.body());
        HttpResponse<String> filtered = get("/metrics?name[]=nothing", null, null);
        assertEquals(200, filtered.statusCode());
        assertEquals("", filtered.body());
    }
}
