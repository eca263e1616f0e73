package io.github.sysloadexporter.cli;

import static io.github.sysloadexporter.cli.ExporterProcess.assertUsageError;
import static io.github.sysloadexporter.cli.ExporterProcess.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sysloadexporter.testing.Http;
import io.github.sysloadexporter.testing.Ports;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --web.config.file as an operator meets it: bad files stop the start, SIGHUP does not stop the process. */
class WebConfigFlagIT {
    @TempDir
    Path dir;

    @Test
    void unknownOrUnsupportedKeyIsOneLineNamingKeyAndFileAndStatusTwo() throws Exception {
        Path f = dir.resolve("web.yml");
        Files.writeString(
                f, "tls_server_config:\n  cert_file: a.pem\n  key_file: a.key\n  curve_preferences: [X25519]\n");
        assertUsageError(
                run("--web.config.file", f.toString()),
                "web config " + f + ": key tls_server_config.curve_preferences");
        Files.writeString(f, "basic_auth_user:\n  a: b\n");
        assertUsageError(run("--web.config.file=" + f), "key basic_auth_user: unknown");
        Files.writeString(f, "tls_server_config:\n  cert_file: missing.pem\n  key_file: missing.key\n");
        assertUsageError(
                run("--web.config.file=" + f),
                "key tls_server_config.cert_file: " + dir.resolve("missing.pem") + ": no such file");
        assertUsageError(run("--web.config.file=" + dir.resolve("nope.yml")), "no such file");
    }

    /**
     * Also at --log.level=warn, the reload's info line is not logged: WebSecurity's logger is
     * made after Main has set the level (slf4j-simple reads it once, at the first logger).
     */
    @Test
    void sighupReloadsAndDoesNotEndTheProcess() throws Exception {
        Path f = dir.resolve("web.yml");
        Files.writeString(f, "");
        int port = Ports.free();
        Process p = ExporterProcess.start(
                "--web.listen-address", "127.0.0.1:" + port, "--web.config.file", f.toString(), "--log.level=warn");
        try {
            Http http = new Http();
            URI metrics = Http.local(port, "/metrics");
            Http.Response first = http.await(metrics, r -> true, Duration.ofSeconds(10));
            assertNotNull(first, "not listening after 10 s");
            assertEquals(200, first.status());
            // Now require a password, and tell the exporter at once instead of waiting for the check.
            Files.writeString(
                    f, "basic_auth_users:\n  u: '$2y$04$2tbw3hZnvIgbxTpuVULnAONeMDJHm5HRlwUYFJj62CXdyKKz/Oj/C'\n");
            ExporterProcess.signal(p, "HUP");
            assertEquals(
                    401,
                    http.await(metrics, r -> r.status() == 401, Duration.ofSeconds(5))
                            .status());
            assertTrue(p.isAlive(), "SIGHUP must not end the exporter");
            ExporterProcess.signal(p, "TERM");
            assertTrue(p.waitFor(5, TimeUnit.SECONDS), "still running 5 s after SIGTERM");
            String err = ExporterProcess.stderr(p);
            assertFalse(err.contains("INFO"), err);
        } finally {
            p.destroyForcibly();
        }
    }
}
