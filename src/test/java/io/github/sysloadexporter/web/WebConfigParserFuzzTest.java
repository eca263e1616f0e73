package io.github.sysloadexporter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the web configuration parser with arbitrary text. Only WebConfigException may come out
 * of it, with a one-line message that names the file, as its javadoc says. {@code mvn verify}
 * runs it over the seeds in
 * src/test/resources/io/github/sysloadexporter/web/WebConfigParserFuzzTestInputs/parse (the YAML
 * of WebConfigParserTest); src/test/fuzz/fuzz.sh fuzzes it.
 */
class WebConfigParserFuzzTest {
    /** Longest input read; the parser's own limit (1 Mi code points) is far above it. */
    static final int MAX_LEN = 8192;

    private static final Path FILE = Path.of("/etc/sysload/web.yml");
    private static final Set<String> HEADERS = Set.of(
            "Strict-Transport-Security",
            "X-Content-Type-Options",
            "X-Frame-Options",
            "X-XSS-Protection",
            "Content-Security-Policy");
    private static final Set<String> VERSIONS = Set.of("TLSv1.2", "TLSv1.3");

    // tokens for the fuzzer's mutations (fuzzing only; no blanks but spaces: Jazzer 0.24 writes
    // them unescaped into the libFuzzer dictionary, which then fails to parse)
    @DictionaryEntries({
        "tls_server_config:",
        "cert_file: ",
        "key_file: ",
        "client_auth_type: ",
        "client_ca_file: ",
        "min_version: ",
        "max_version: ",
        "cipher_suites: ",
        "prefer_server_cipher_suites: ",
        "http_server_config:",
        "headers:",
        "http2: ",
        "basic_auth_users:",
        "RequireAndVerifyClientCert",
        "RequestClientCert",
        "TLS12",
        "TLS13",
        "Strict-Transport-Security: ",
        "X-Frame-Options: ",
        "&a ",
        "*a",
        "<<: ",
        "!!binary ",
        "!!str ",
        "? ",
        "{",
        "}",
        "[",
        "]",
        "\"\\0\"",
        "\"\\n\"",
        "$2y$10$"
    })
    @FuzzTest(maxDuration = "30s")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void parse(byte[] input) {
        // WebSecurity reads the file as UTF-8; a file that is not fails before the parser
        String text = new String(input, 0, Math.min(input.length, MAX_LEN), StandardCharsets.UTF_8);
        WebConfig c;
        try {
            c = WebConfigParser.parse(FILE, text);
        } catch (WebConfigException e) {
            String m = e.getMessage();
            assertTrue(
                    m != null && m.startsWith("web config " + FILE + ": "),
                    () -> "message does not name the file: " + m);
            assertEquals(
                    1,
                    m.lines().count(),
                    () -> "message is not one line: " + m.replace("\n", "\\n").replace("\r", "\\r"));
            return;
        }
        assertNotNull(c);
        Set<String> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        TlsSettings t = c.tls();
        if (t != null) {
            for (Path p : t.files()) {
                assertTrue(p != null && p.isAbsolute() && p.equals(p.normalize()), () -> "file " + p);
                kept.add(p.toString());
            }
            assertNotNull(t.clientAuth());
            assertTrue(
                    !t.clientAuth().verified || t.clientCaFile() != null, "verified client certificates without a CA");
            assertTrue(VERSIONS.contains(t.minVersion()), () -> "min_version " + t.minVersion());
            assertTrue(
                    t.maxVersion() == null
                            || VERSIONS.contains(t.maxVersion())
                                    && t.minVersion().compareTo(t.maxVersion()) <= 0,
                    () -> "max_version " + t.maxVersion());
            t.cipherSuites().forEach(kept::add);
        }
        for (Map.Entry<String, String> u : c.users().entrySet()) {
            assertTrue(u.getKey().indexOf(':') < 0, () -> "user name with ':' " + u.getKey());
            assertTrue(u.getValue().matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}"), () -> "hash " + u.getValue());
            kept.add(u.getKey());
            kept.add(u.getValue());
        }
        for (Map.Entry<String, String> h : c.headers().entrySet()) {
            assertTrue(HEADERS.contains(h.getKey()), () -> "header " + h.getKey());
            assertTrue(
                    h.getValue().indexOf('\r') < 0 && h.getValue().indexOf('\n') < 0,
                    () -> "header value of more than one line: " + h.getValue());
            kept.add(h.getValue());
        }
        // each String once: YAML aliases may share one among several keys
        long chars = kept.stream().mapToLong(String::length).sum();
        assertTrue(
                chars <= 4L * text.length() + 256,
                () -> chars + " chars kept from " + text.length() + " chars of input");
    }
}
