package io.github.sysloadexporter.web;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads Prometheus exporter-toolkit's web configuration file, so that an operator can point
 * this exporter at the file node_exporter already reads. Every key is checked: a key we do
 * not know, or know and do not implement, is an error naming it, never silently ignored,
 * since an ignored security setting is a hole nobody sees.
 *
 * <p>Over 300 lines, kept whole: it is one file format's parser, most of it the tables of
 * keys, versions and cipher suites and one small check per key, read top to bottom against
 * exporter-toolkit's documentation; split, each half would need the other's tables.
 */
final class WebConfigParser {
    private static final Set<String> TOP = Set.of("tls_server_config", "http_server_config", "basic_auth_users");
    private static final Set<String> TLS = Set.of(
            "cert_file",
            "key_file",
            "client_auth_type",
            "client_ca_file",
            "min_version",
            "max_version",
            "cipher_suites",
            "prefer_server_cipher_suites");
    // Known to exporter-toolkit, refused here with the reason.
    private static final Map<String, String> UNSUPPORTED = Map.of(
            "tls_server_config.cert", "inline certificates are not supported; use cert_file",
            "tls_server_config.key", "inline keys are not supported; use key_file",
            "tls_server_config.client_ca", "inline client CAs are not supported; use client_ca_file",
            "tls_server_config.client_allowed_sans", "is not supported; restrict clients with client_ca_file",
            "tls_server_config.curve_preferences",
                    "is not supported: Java 17 sets curves only JVM-wide" + " (-Djdk.tls.namedGroups=...)",
            "rate_limit", "is not supported");
    /**
     * The headers exporter-toolkit lets an operator add, with the values it allows (null: any).
     * Others could break the exposition (Content-Type) or say nothing to a scraper.
     */
    private static final Map<String, List<String>> HEADERS = headerRules();

    private static final Map<String, String> VERSIONS = Map.of("TLS12", "TLSv1.2", "TLS13", "TLSv1.3");

    private final String file;
    private final Path dir;

    private WebConfigParser(Path file) {
        this.file = file.toString();
        Path parent = file.toAbsolutePath().getParent();
        this.dir = parent != null ? parent : Path.of("/");
    }

    /** Parses {@code text}, read from {@code file}; relative paths in it are relative to the file's directory. */
    static WebConfig parse(Path file, String text) throws WebConfigException {
        return new WebConfigParser(file).parse(text);
    }

    private WebConfig parse(String text) throws WebConfigException {
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(20); // no billion laughs
            options.setCodePointLimit(1 << 20);
            // SafeConstructor: only maps, lists, strings, numbers and booleans; never a Java type named in the file.
            root = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw error("is not valid YAML: " + oneLine(e.getMessage()));
        } catch (RuntimeException e) {
            // SafeConstructor's own faults on odd tags (!!binary with bad base64, !!str on a
            // list, an implicit float of '._'): the file is still just bad input
            throw error("is not valid YAML: " + oneLine(String.valueOf(e.getMessage())));
        }
        if (root == null) {
            return WebConfig.NONE; // an empty file: plain HTTP, no authentication, as exporter-toolkit does
        }
        Map<String, Object> top = map(root, "");
        checkKeys(top, "", TOP);
        TlsSettings tls = tls(top.get("tls_server_config"));
        Map<String, String> headers = Map.of();
        Object http = top.get("http_server_config");
        if (http != null) {
            Map<String, Object> h = map(http, "http_server_config");
            checkKeys(h, "http_server_config.", Set.of("headers", "http2"));
            Object http2 = h.get("http2");
            if (http2 != null && !Boolean.FALSE.equals(bool(http2, "http_server_config.http2"))) {
                throw error("key http_server_config.http2: HTTP/2 is not supported (the exporter serves HTTP/1.1);"
                        + " remove the key or set it to false");
            }
            headers = headers(h.get("headers"));
        }
        return new WebConfig(tls, users(top.get("basic_auth_users")), headers);
    }

    private TlsSettings tls(Object node) throws WebConfigException {
        if (node == null) {
            return null;
        }
        Map<String, Object> t = map(node, "tls_server_config");
        if (t.isEmpty()) {
            return null;
        }
        checkKeys(t, "tls_server_config.", TLS);
        Path cert = path(t, "cert_file");
        Path key = path(t, "key_file");
        if (cert == null) {
            throw error("key tls_server_config.cert_file: missing (needed with tls_server_config)");
        }
        if (key == null) {
            throw error("key tls_server_config.key_file: missing (needed with tls_server_config)");
        }
        String authName = string(t.get("client_auth_type"), "tls_server_config.client_auth_type");
        ClientAuth auth = ClientAuth.NoClientCert;
        if (authName != null && !authName.isEmpty()) {
            try {
                auth = ClientAuth.valueOf(authName);
            } catch (IllegalArgumentException e) {
                throw error("key tls_server_config.client_auth_type: '" + authName + "' is not one of "
                        + Arrays.toString(ClientAuth.values()));
            }
        }
        Path ca = path(t, "client_ca_file");
        if (auth.verified && ca == null) {
            throw error("key tls_server_config.client_ca_file: missing, and client_auth_type " + auth
                    + " needs it to verify client certificates");
        }
        if (ca != null && !auth.requested) {
            throw error("key tls_server_config.client_ca_file: given, but client_auth_type is " + auth
                    + ", so no client certificate would be asked for");
        }
        String min = version(t, "min_version", "TLSv1.2");
        String max = version(t, "max_version", null);
        if (max != null && min.compareTo(max) > 0) {
            throw error("key tls_server_config.max_version: lower than min_version");
        }
        List<String> suites = cipherSuites(t.get("cipher_suites"));
        Object prefer = t.get("prefer_server_cipher_suites");
        boolean preferServer = prefer == null || bool(prefer, "tls_server_config.prefer_server_cipher_suites");
        return new TlsSettings(cert, key, auth, ca, min, max, suites, preferServer);
    }

    private String version(Map<String, Object> t, String key, String dflt) throws WebConfigException {
        String v = string(t.get(key), "tls_server_config." + key);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        String jsse = VERSIONS.get(v);
        if (jsse == null) {
            throw error("key tls_server_config." + key + ": '" + v + "' is not TLS12 or TLS13"
                    + (v.equals("TLS10") || v.equals("TLS11") ? " (older versions are disabled in Java)" : ""));
        }
        return jsse;
    }

    private List<String> cipherSuites(Object node) throws WebConfigException {
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof List<?> list)) {
            throw error("key tls_server_config.cipher_suites: want a list of cipher suite names");
        }
        Set<String> supported;
        try {
            supported =
                    Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
        } catch (NoSuchAlgorithmException e) {
            throw error("key tls_server_config.cipher_suites: no TLS in this Java runtime");
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            String s = string(o, "tls_server_config.cipher_suites");
            // Go and Java both use the IANA names (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256).
            if (s == null || !supported.contains(s) || s.startsWith("TLS_AES_") || s.startsWith("TLS_CHACHA20_")) {
                throw error("key tls_server_config.cipher_suites: '" + s + "' is not a TLS 1.2 cipher suite"
                        + " this Java runtime supports");
            }
            out.add(s);
        }
        return out;
    }

    private Map<String, String> users(Object node) throws WebConfigException {
        if (node == null) {
            return Map.of();
        }
        Map<String, Object> m = map(node, "basic_auth_users");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String hash = string(e.getValue(), "basic_auth_users." + e.getKey());
            // $2a$, $2b$, $2y$ + two-digit cost + 53 characters of salt and hash
            if (hash == null || !hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                throw error("key basic_auth_users." + e.getKey() + ": not a bcrypt hash (want $2y$10$..., e.g. from"
                        + " htpasswd -nBC 10 USER)");
            }
            if (e.getKey().contains(":")) {
                throw error("key basic_auth_users." + e.getKey() + ": a user name cannot contain ':'");
            }
            out.put(e.getKey(), hash);
        }
        return out;
    }

    private Map<String, String> headers(Object node) throws WebConfigException {
        if (node == null) {
            return Map.of();
        }
        Map<String, Object> m = map(node, "http_server_config.headers");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String key = "http_server_config.headers." + e.getKey();
            String canonical = null;
            for (String h : HEADERS.keySet()) {
                if (h.equalsIgnoreCase(e.getKey())) {
                    canonical = h;
                }
            }
            if (canonical == null) {
                throw error("key " + key + ": this header cannot be set; allowed: " + HEADERS.keySet());
            }
            String value = string(e.getValue(), key);
            if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw error("key " + key + ": want a one-line value");
            }
            List<String> allowed = HEADERS.get(canonical);
            if (allowed != null && !allowed.contains(value.toLowerCase(Locale.ROOT))) {
                throw error("key " + key + ": '" + value + "' is not one of " + allowed);
            }
            out.put(canonical, value);
        }
        return out;
    }

    private void checkKeys(Map<String, Object> m, String prefix, Set<String> known) throws WebConfigException {
        for (String k : m.keySet()) {
            String full = prefix + k;
            String why = UNSUPPORTED.get(full);
            if (why != null) {
                throw error("key " + full + ": " + why);
            }
            if (!known.contains(k)) {
                throw error("key " + full + ": unknown");
            }
        }
    }

    private Path path(Map<String, Object> t, String key) throws WebConfigException {
        String s = string(t.get(key), "tls_server_config." + key);
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return dir.resolve(s).normalize();
        } catch (InvalidPathException e) {
            throw error("key tls_server_config." + key + ": not a path: " + e.getReason());
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(Object node, String key) throws WebConfigException {
        if (!(node instanceof Map<?, ?> m)) {
            throw error((key.isEmpty() ? "top level" : "key " + key) + ": want a mapping of keys to values");
        }
        for (Object k : m.keySet()) {
            if (!(k instanceof String)) {
                throw error((key.isEmpty() ? "top level" : "key " + key) + ": key '" + k + "' is not a string");
            }
        }
        return (Map<String, Object>) m;
    }

    private String string(Object v, String key) throws WebConfigException {
        if (v == null) {
            return null;
        }
        if (v instanceof Map || v instanceof List) {
            throw error("key " + key + ": want a single value");
        }
        return v.toString();
    }

    private boolean bool(Object v, String key) throws WebConfigException {
        if (v instanceof Boolean b) {
            return b;
        }
        throw error("key " + key + ": want true or false");
    }

    private WebConfigException error(String what) {
        return new WebConfigException("web config " + file + ": " + printable(what));
    }

    /** Keys and values are echoed in messages: their control characters escaped, so it stays one line. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x2028 || c == 0x2029) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }

    private static Map<String, List<String>> headerRules() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("Strict-Transport-Security", null);
        m.put("X-Content-Type-Options", List.of("nosniff"));
        m.put("X-Frame-Options", List.of("deny", "sameorigin"));
        m.put("X-XSS-Protection", null);
        m.put("Content-Security-Policy", null);
        return m;
    }
}
