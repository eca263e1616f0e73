package io.github.sysloadexporter.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.sysload.CpuModes;
import io.github.sysloadexporter.sysload.Published;
import io.github.sysloadexporter.sysload.Sample;
import io.github.sysloadexporter.sysload.Seconds;
import io.github.sysloadexporter.testing.Http;
import io.github.sysloadexporter.web.ServerLimits;
import io.github.sysloadexporter.web.WebSecurity;
import io.github.sysloadexporter.web.WebServer;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Gauge;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server's pages and methods, as an HTTP client meets them. */
class PagesTest {
    static final BuildInfo BUILD = new BuildInfo("1.2.3", "17.0.99");

    final AtomicReference<Published> published = new AtomicReference<>(Published.NOTHING_YET);
    final Http http = new Http();
    WebServer server;

    @BeforeEach
    void start() throws Exception {
        CollectorRegistry registry = new CollectorRegistry();
        Gauge.build("sysload_sysload", "test value").register(registry).set(42);
        server = WebServer.start(
                new InetSocketAddress("127.0.0.1", 0),
                ServerLimits.DEFAULTS,
                WebSecurity.none(),
                Pages.of("/metrics", registry, published::get));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static Published watching(Map<String, Set<Integer>> nicCpus, Map<String, Double> disks) {
        Map<String, SortedSet<Integer>> cpus = new TreeMap<>();
        nicCpus.forEach((nic, set) -> cpus.put(nic, new TreeSet<>(set)));
        Sample s = new Sample(
                1_764_000_000_000L,
                new Sample.Sysload(10, 10, 10, 10),
                CpuModes.ALL_IDLE,
                new Sample.SiCpu("", CpuModes.ALL_IDLE),
                List.of(),
                disks,
                cpus,
                new Sample.Rates(0, 0),
                Seconds.NONE);
        return new Published(s, 2, 0, 1_764_000_000, Map.of());
    }

    static String landing(Published p) {
        return new String(Pages.landingPage("/metrics", BUILD, p), StandardCharsets.UTF_8);
    }

    @Test
    void onlyGetAndHeadAre405ElsewhereOn404() throws Exception {
        for (String path : List.of("/metrics", "/")) {
            for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS", "PATCH")) {
                Http.Raw r = http.send(method, server.port(), path);
                assertEquals(405, r.status(), method + " " + path);
                assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElseThrow(), method + " " + path);
                assertFalse(r.text().contains("sysload_sysload"), r.text());
            }
            assertEquals(200, http.send("GET", server.port(), path).status(), path);
            assertEquals(200, http.send("HEAD", server.port(), path).status(), path);
        }
        for (String path : List.of("/nope", "/metrics/", "/metricsx")) {
            assertEquals(404, http.send("GET", server.port(), path).status(), path);
            assertEquals(404, http.send("POST", server.port(), path).status(), path);
        }
    }

    @Test
    void landingPageShowsWhatTheCurrentSampleWatches() throws Exception {
        Http.Response before = http.get(server.port(), "/");
        assertEquals(200, before.status());
        assertEquals(
                "text/html; charset=utf-8",
                before.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(before.body().contains("<a href=\"/metrics\">Metrics</a>"), before.body());
        assertTrue(before.body().contains("Nothing sampled yet"), before.body());
        assertTrue(before.body().contains("Version " + BuildInfo.current().version()), before.body());

        published.set(watching(Map.of("eth0", Set.of(2, 3), "ens5", Set.of()), Map.of("vda", 1.0, "nvme0n1", 0.0)));
        String after = http.get(server.port(), "/").body();
        assertTrue(
                after.contains(
                        "<p>Network interfaces (the CPUs serving their receive interrupts): ens5 (none seen yet: all CPUs),"
                                + " eth0 (CPUs 2-3)</p>"),
                after);
        assertTrue(after.contains("<p>Disks: nvme0n1, vda</p>"), after);
        assertFalse(after.contains("Nothing sampled yet"), after);
    }

    @Test
    void landingPageEscapesNamesAndSaysWhenNothingIsWatched() {
        String odd = landing(watching(Map.of("<b>&\"x'", Set.of(1)), Map.of("sd<a>", 1.0)));
        assertTrue(odd.contains("&lt;b&gt;&amp;&quot;x&#39; (CPU 1)"), odd);
        assertTrue(odd.contains("Disks: sd&lt;a&gt;"), odd);
        assertFalse(odd.contains("<b>"), odd);

        String none = landing(watching(Map.of(), Map.of()));
        assertTrue(none.contains("none; the NIC-IRQ CPU figure is that of all CPUs"), none);
        assertTrue(none.contains("<p>Disks: none</p>"), none);
        assertTrue(none.contains("<p>Version 1.2.3 (Java 17.0.99)</p>"), none);

        String path = new String(Pages.landingPage("/m\"<x>", BUILD, Published.NOTHING_YET), StandardCharsets.UTF_8);
        assertTrue(path.contains("href=\"/m&quot;&lt;x&gt;\""), path);
    }
}
