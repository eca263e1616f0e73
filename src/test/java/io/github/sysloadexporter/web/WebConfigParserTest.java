package io.github.sysloadexporter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebConfigParserTest {
    static final Path FILE = Path.of("/etc/sysload/web.yml");
    static final String HASH = "$2y$10$PtlBQKI3JgCkjNSflZE68.oD0YNB4NI6UUzaiznJoeSZUP2py/KvK";

    static WebConfig parse(String yaml) throws WebConfigException {
        return WebConfigParser.parse(FILE, yaml);
    }

    static String error(String yaml) {
        String m = assertThrows(WebConfigException.class, () -> parse(yaml)).getMessage();
        assertTrue(m.startsWith("web config /etc/sysload/web.yml: "), m);
        assertEquals(1, m.lines().count(), m);
        return m;
    }

    @Test
    void nodeExporterStyleFile() throws Exception {
        WebConfig c = parse("""
                tls_server_config:
                  cert_file: node.crt
                  key_file: /etc/keys/node.key
                  client_auth_type: RequireAndVerifyClientCert
                  client_ca_file: ca.crt
                  min_version: TLS13
                  prefer_server_cipher_suites: false
                http_server_config:
                  http2: false
                  headers:
                    x-content-type-options: nosniff
                    Strict-Transport-Security: max-age=31536000
                basic_auth_users:
                  prometheus: '%s'
                """.formatted(HASH));
        TlsSettings t = c.tls();
        assertEquals(Path.of("/etc/sysload/node.crt"), t.certFile(), "relative to the file's directory");
        assertEquals(Path.of("/etc/keys/node.key"), t.keyFile());
        assertEquals(Path.of("/etc/sysload/ca.crt"), t.clientCaFile());
        assertEquals(ClientAuth.RequireAndVerifyClientCert, t.clientAuth());
        assertEquals("TLSv1.3", t.minVersion());
        assertNull(t.maxVersion());
        assertEquals(false, t.preferServerCipherSuites());
        assertEquals(Map.of("prometheus", HASH), c.users());
        assertEquals(
                Map.of("X-Content-Type-Options", "nosniff", "Strict-Transport-Security", "max-age=31536000"),
                c.headers());
    }

    @Test
    void emptyFileAndEmptyTlsMeanPlainHttp() throws Exception {
        assertEquals(WebConfig.NONE, parse(""));
        assertEquals(WebConfig.NONE, parse("# nothing\n"));
        assertNull(parse("tls_server_config: {}\n").tls());
        assertEquals(
                "TLSv1.2",
                parse("tls_server_config: {cert_file: a, key_file: b}").tls().minVersion());
    }

    @Test
    void cipherSuitesAreCheckedAgainstTheRuntime() throws Exception {
        assertEquals(
                List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                parse("""
                tls_server_config: {cert_file: a, key_file: b,
                  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]}
                """).tls().cipherSuites());
        assertTrue(error("tls_server_config: {cert_file: a, key_file: b, cipher_suites: [TLS_FOO]}")
                .contains("tls_server_config.cipher_suites: 'TLS_FOO'"));
    }

    @Test
    void unknownAndUnsupportedKeysAreNamed() {
        assertTrue(error("tls_config: {}").contains("key tls_config: unknown"));
        assertTrue(error("tls_server_config: {cert_file: a, key_file: b, foo: 1}")
                .contains("key tls_server_config.foo: unknown"));
        assertTrue(error("tls_server_config: {cert_file: a, key_file: b, curve_preferences: [X25519]}")
                .contains("key tls_server_config.curve_preferences: is not supported"));
        assertTrue(error("tls_server_config: {cert: x, key: y}").contains("key tls_server_config.cert: inline"));
        assertTrue(error("tls_server_config: {cert_file: a, key_file: b, client_allowed_sans: [x]}")
                .contains("client_allowed_sans"));
        assertTrue(error("http_server_config: {http2: true}").contains("key http_server_config.http2"));
        assertTrue(error("http_server_config: {timeout: 3}").contains("key http_server_config.timeout: unknown"));
        assertTrue(error("rate_limit: {interval: 1s}").contains("key rate_limit: is not supported"));
    }

    @Test
    void badValuesAreNamed() {
        assertTrue(error("tls_server_config: {key_file: b}").contains("cert_file: missing"));
        assertTrue(error("tls_server_config: {cert_file: a}").contains("key_file: missing"));
        assertTrue(error("tls_server_config: {cert_file: a, key_file: b, client_auth_type: Verify}")
                .contains("client_auth_type: 'Verify'"));
        assertTrue(error("tls_server_config: {cert_file: a, key_file: b, client_auth_type: RequireAndVerifyClientCert}")
                .contains("client_ca_file: missing"));
        assertTrue(error("tls_server_config: {cert_file: a, key_file: b, client_ca_file: c}")
                .contains("client_ca_file: given, but client_auth_type is NoClientCert"));
        assertTrue(error("tls_server_config: {cert_file: a, key_file: b, min_version: TLS11}")
                .contains("min_version: 'TLS11'"));
        assertTrue(error("tls_server_config: {cert_file: a, key_file: b, min_version: TLS13, max_version: TLS12}")
                .contains("max_version"));
        assertTrue(error("basic_auth_users: {bob: plaintext}").contains("key basic_auth_users.bob: not a bcrypt hash"));
        assertTrue(error("http_server_config: {headers: {Content-Type: text/html}}")
                .contains("key http_server_config.headers.Content-Type: this header cannot be set"));
        assertTrue(
                error("http_server_config: {headers: {X-Frame-Options: allow}}").contains("'allow'"));
        assertTrue(error("basic_auth_users: [a, b]").contains("key basic_auth_users: want a mapping"));
        assertTrue(error("tls_server_config: {cert_file: a, key_file: b, prefer_server_cipher_suites: maybe}")
                .contains("want true or false"));
    }

    @Test
    void yamlThatIsNotPlainDataIsRefused() {
        assertTrue(error("a: [\n").contains("not valid YAML"));
        assertTrue(
                error("x: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[]]]")
                        .contains("not valid YAML"),
                "SafeConstructor builds no Java types");
        assertTrue(error("basic_auth_users: {a: 1, a: 2}").contains("not valid YAML"), "duplicate key");
    }
}
