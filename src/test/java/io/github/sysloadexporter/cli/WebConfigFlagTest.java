package io.github.sysloadexporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --web.config.file as an operator meets it: bad files stop the start, SIGHUP does not stop the process. */
class WebConfigFlagTest {
    @TempDir
    Path dir;

    @Test
    void unknownOrUnsupportedKeyIsOneLineNamingKeyAndFileAndStatusTwo() throws Exception {
        Path f = dir.resolve("web.yml");
        Files.writeString(f, "tls_server_config:\n  cert_file: a.pem\n  key_file: a.key\n  curve_preferences: [X25519]\n");
        ProcessTest.assertUsageError(ProcessTest.run("--web.config.file", f.toString()),
                "web config " + f + ": key tls_server_config.curve_preferences");
        Files.writeString(f, "basic_auth_user:\n  a: b\n");
        ProcessTest.assertUsageError(ProcessTest.run("--web.config.file=" + f), "key basic_auth_user: unknown");
        Files.writeString(f, "tls_server_config:\n  cert_file: missing.pem\n  key_file: missing.key\n");
        ProcessTest.assertUsageError(ProcessTest.run("--web.config.file=" + f),
                "key tls_server_config.cert_file: " + dir.resolve("missing.pem") + ": no such file");
        ProcessTest.assertUsageError(ProcessTest.run("--web.config.file=" + dir.resolve("nope.yml")), "no such file");
    }

    @Test
    void sighupReloadsAndDoesNotEndTheProcess() throws Exception {
        Path f = dir.resolve("web.yml");
        Files.writeString(f, "");
        int port = ProcessTest.freePort();
        Process p = ProcessTest.spawn("--web.listen-address", "127.0.0.1:" + port, "--web.config.file", f.toString());
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            assertEquals(200, get(http, port));
            // Now require a password, and tell the exporter at once instead of waiting for the check.
            Files.writeString(f, "basic_auth_users:\n  u: '$2y$04$2tbw3hZnvIgbxTpuVULnAONeMDJHm5HRlwUYFJj62CXdyKKz/Oj/C'\n");
            new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor();
            int status = 0;
            for (int i = 0; i < 50 && status != 401; i++) {
                Thread.sleep(100);
                status = get(http, port);
            }
            assertEquals(401, status);
            assertTrue(p.isAlive(), "SIGHUP must not end the exporter");
        } finally {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
    }

    private static int get(HttpClient http, int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        return -1;
    }
}
