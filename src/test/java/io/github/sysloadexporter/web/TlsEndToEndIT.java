package io.github.sysloadexporter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.metrics.Pages;
import io.github.sysloadexporter.sysload.Published;
import io.github.sysloadexporter.testing.Http;
import io.github.sysloadexporter.testing.Ports;
import io.github.sysloadexporter.testing.Tools;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Gauge;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and basic auth end to end: real certificates from openssl, the real HTTP server, and
 * curl and Prometheus as the clients an operator has.
 */
class TlsEndToEndIT {
    @TempDir
    Path dir;

    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    WebServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    record Curl(int exit, String status, String headers, String body) {}

    Path writeConfig(String yaml) throws IOException {
        Path f = dir.resolve("web.yml");
        // replaced by rename, as config management does, so a reader never sees half a file
        Path tmp = dir.resolve("web.yml.tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return f;
    }

    WebSecurity start(String yaml) throws Exception {
        WebSecurity web = WebSecurity.load(writeConfig(yaml), nanos::get);
        CollectorRegistry registry = new CollectorRegistry();
        Gauge.build("sysload_sysload", "test value").register(registry).set(42);
        server = WebServer.start(
                new InetSocketAddress("127.0.0.1", 0),
                ServerLimits.DEFAULTS,
                web,
                Pages.of("/metrics", registry, () -> Published.NOTHING_YET));
        return web;
    }

    String url(String path) {
        return "https://127.0.0.1:" + server.port() + path;
    }

    Curl curl(String... args) throws Exception {
        Tools.require("curl");
        Path headers = dir.resolve("headers.txt");
        Path body = dir.resolve("body.txt");
        Files.deleteIfExists(headers);
        Files.deleteIfExists(body);
        List<String> cmd = new ArrayList<>(List.of(
                "curl",
                "-sS",
                "--max-time",
                "10",
                "-D",
                headers.toString(),
                "-o",
                body.toString(),
                "-w",
                "%{http_code}"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(false)
                .start();
        String status = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "curl hung");
        return new Curl(
                p.exitValue(),
                status,
                Files.exists(headers) ? Files.readString(headers) : "",
                Files.exists(body) ? Files.readString(body) : "");
    }

    static String users(String user, String password) {
        return "basic_auth_users:\n  " + user + ": '" + Certs.bcrypt(password) + "'\n";
    }

    static String tls(String key, String extra) {
        return "tls_server_config:\n  cert_file: server.pem\n  key_file: " + key + "\n" + extra;
    }

    static void assertUnauthorized(Curl c) {
        assertEquals("401", c.status(), c.headers());
        assertTrue(c.headers().lines().anyMatch(l -> l.equalsIgnoreCase("WWW-Authenticate: Basic")), c.headers());
        assertTrue(!c.body().contains("sysload_"), "no metrics to a stranger: " + c.body());
    }

    @Test
    void rsaPkcs8WithBasicAuthAndHeaders() throws Exception {
        new Certs(dir).make(false);
        WebSecurity web = start(tls("server.key", "") + users("prometheus", "s3cret")
                + "http_server_config:\n  headers:\n    X-Frame-Options: deny\n");
        String ca = "--cacert";
        for (String path : List.of("/metrics", "/", "/nope")) {
            assertUnauthorized(curl(ca, "ca.pem", url(path)));
            assertUnauthorized(curl(ca, "ca.pem", "-u", "prometheus:wrong", url(path)));
            assertUnauthorized(curl(ca, "ca.pem", "-u", "nobody:s3cret", url(path)));
        }
        Curl ok = curl(ca, "ca.pem", "-u", "prometheus:s3cret", url("/metrics"));
        assertEquals("200", ok.status());
        assertTrue(ok.body().contains("sysload_sysload 42.0"), ok.body());
        assertTrue(ok.headers().toLowerCase().contains("x-frame-options: deny"), ok.headers());
        assertEquals(
                "200", curl(ca, "ca.pem", "-u", "prometheus:s3cret", url("/")).status());
        assertEquals(
                "404",
                curl(ca, "ca.pem", "-u", "prometheus:s3cret", url("/nope")).status());
        assertEquals(
                "404",
                curl(ca, "ca.pem", "-u", "prometheus:s3cret", url("/metrics/x")).status());
        // The same right password twice: bcrypt ran once for it, then the cache answered.
        int cached = web.cachedCredentials();
        assertEquals(
                "200",
                curl(ca, "ca.pem", "-u", "prometheus:s3cret", url("/metrics")).status());
        assertEquals(cached, web.cachedCredentials());
        // Untrusted server certificate: curl refuses, as it must.
        assertNotEquals(0, curl(url("/metrics")).exit());
    }

    @Test
    void plainHttpToTheTlsPortIsClosedPromptlyAndTheServerServesOn() throws Exception {
        new Certs(dir).make(false);
        start(tls("server.key", ""));
        long t0 = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            // closed (or a TLS alert) rather than an answer or a hang
            byte[] buf = new byte[512];
            int n;
            int total = 0;
            try {
                while ((n = in.read(buf)) > 0) {
                    total += n;
                }
            } catch (java.net.SocketException reset) {
                // a reset is as good as a close
            }
            assertTrue(total < 16, "no HTTP answer in the clear");
        }
        assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "closed within 3 s");
        assertEquals("200", curl("--cacert", "ca.pem", url("/metrics")).status());
    }

    @Test
    void rsaPkcs1Key() throws Exception {
        Certs c = new Certs(dir).make(false);
        c.traditionalServerKey();
        start(tls("server-trad.key", ""));
        assertEquals("200", curl("--cacert", "ca.pem", url("/metrics")).status());
        assertEquals(
                "200",
                curl("--cacert", "ca.pem", "--tlsv1.2", "--tls-max", "1.2", url("/metrics"))
                        .status());
    }

    @Test
    void ecKeyOverTls12ButNotForAnRsaOnlyClient() throws Exception {
        new Certs(dir).make(true);
        start(tls("server.key", ""));
        assertEquals(
                "200",
                curl("--cacert", "ca.pem", "--tlsv1.2", "--tls-max", "1.2", url("/metrics"))
                        .status());
        // A client that takes only suites signed with RSA gets no handshake, not the EC key.
        Curl rsaOnly = curl(
                "--cacert",
                "ca.pem",
                "--tlsv1.2",
                "--tls-max",
                "1.2",
                "--ciphers",
                "ECDHE-RSA-AES128-GCM-SHA256",
                url("/metrics"));
        assertNotEquals(0, rsaOnly.exit(), rsaOnly.status());
        assertEquals("200", curl("--cacert", "ca.pem", url("/metrics")).status());
    }

    @Test
    void ecSec1KeyWithRequireAndVerifyClientCert() throws Exception {
        Certs c = new Certs(dir).make(true);
        c.traditionalServerKey();
        start(tls("server-trad.key", "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n"));
        assertEquals(
                "200",
                curl("--cacert", "ca.pem", "--cert", "client.pem", "--key", "client.key", url("/metrics"))
                        .status());
        Curl none = curl("--cacert", "ca.pem", url("/metrics"));
        assertNotEquals("200", none.status(), "no client certificate");
        // A client certificate from another CA is refused.
        Path other = Files.createDirectory(dir.resolve("other"));
        new Certs(other).make(true);
        Curl stranger =
                curl("--cacert", "ca.pem", "--cert", "other/client.pem", "--key", "other/client.key", url("/metrics"));
        assertNotEquals("200", stranger.status());
    }

    @Test
    void requireAnyClientCertTakesAnyCertificateButNeedsOne() throws Exception {
        new Certs(dir).make(true);
        Path other = Files.createDirectory(dir.resolve("other"));
        new Certs(other).make(false);
        start(tls("server.key", "  client_auth_type: RequireAnyClientCert\n  min_version: TLS13\n"));
        assertNotEquals("200", curl("--cacert", "ca.pem", url("/metrics")).status());
        assertEquals(
                "200",
                curl("--cacert", "ca.pem", "--cert", "other/client.pem", "--key", "other/client.key", url("/metrics"))
                        .status());
        assertNotEquals(
                "200",
                curl("--cacert", "ca.pem", "--tls-max", "1.2", url("/metrics")).status(),
                "min_version TLS13 refuses TLS 1.2");
    }

    /** A new password and a new certificate apply without a restart; a broken file fails closed. */
    @Test
    void passwordAndCertificateRotationWithoutRestart() throws Exception {
        new Certs(dir).make(false);
        start(tls("server.key", "") + users("prometheus", "old"));
        assertEquals(
                "200",
                curl("--cacert", "ca.pem", "-u", "prometheus:old", url("/metrics"))
                        .status());

        writeConfig(tls("server.key", "") + users("prometheus", "new"));
        nanos.addAndGet(WebSecurity.CHECK_NANOS);
        assertUnauthorized(curl("--cacert", "ca.pem", "-u", "prometheus:old", url("/metrics")));
        assertEquals(
                "200",
                curl("--cacert", "ca.pem", "-u", "prometheus:new", url("/metrics"))
                        .status());

        // New CA, new server certificate and key, copied over the old files.
        Path next = Files.createDirectory(dir.resolve("next"));
        new Certs(next).make(true);
        for (String f : List.of("server.pem", "server.key")) {
            Files.copy(next.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        nanos.addAndGet(WebSecurity.CHECK_NANOS);
        assertEquals(
                "200",
                curl("--cacert", "next/ca.pem", "-u", "prometheus:new", url("/metrics"))
                        .status());
        assertNotEquals(
                0,
                curl("--cacert", "ca.pem", "-u", "prometheus:new", url("/metrics"))
                        .exit(),
                "the old CA no longer verifies the server");

        writeConfig(tls("server.key", "") + "basic_auth_users: {prometheus: notahash}\n");
        nanos.addAndGet(WebSecurity.CHECK_NANOS);
        assertEquals(
                "500",
                curl("--cacert", "next/ca.pem", "-u", "prometheus:new", url("/metrics"))
                        .status());
        writeConfig(tls("server.key", "") + users("prometheus", "new"));
        nanos.addAndGet(WebSecurity.CHECK_NANOS);
        assertEquals(
                "200",
                curl("--cacert", "next/ca.pem", "-u", "prometheus:new", url("/metrics"))
                        .status());
    }

    /**
     * Debian's Prometheus scrapes over TLS with basic auth (asking for gzip, as it always does):
     * its up is 1 and it has the value.
     */
    @Test
    void prometheusScrapesWithTlsAndBasicAuth() throws Exception {
        Path prometheus = Tools.require("prometheus");
        new Certs(dir).make(false);
        start(tls("server.key", "") + users("prometheus", "s3cret"));
        int port = Ports.free();
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: sysload
                    scheme: https
                    tls_config:
                      ca_file: %s
                    basic_auth:
                      username: prometheus
                      password: s3cret
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(dir.resolve("ca.pem"), server.port()));
        Process prom = new ProcessBuilder(
                        prometheus.toString(),
                        "--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        try {
            String up = "(?s).*\"value\":\\[[0-9.]+,\"1\"\\].*";
            Http.Response last = new Http()
                    .await(
                            Http.local(port, "/api/v1/query?query=up%7Bjob%3D%22sysload%22%7D"),
                            r -> r.body().matches(up),
                            Duration.ofSeconds(60));
            assertTrue(
                    last != null && last.body().matches(up),
                    "up == 1: " + (last == null ? "no answer" : last.body()) + "\n"
                            + Files.readString(dir.resolve("prometheus.log")));
            Http.Response value = new Http().get(port, "/api/v1/query?query=sysload_sysload");
            assertTrue(value.body().matches("(?s).*\"value\":\\[[0-9.]+,\"42\"\\].*"), value.body());
        } finally {
            prom.destroy();
            if (!prom.waitFor(10, TimeUnit.SECONDS)) {
                prom.destroyForcibly();
            }
        }
    }
}
