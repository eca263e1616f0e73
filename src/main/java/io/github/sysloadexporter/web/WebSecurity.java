package io.github.sysloadexporter.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS, basic authentication and extra headers from {@code --web.config.file}.
 *
 * <p>Reloading: the file, and the certificate, key and CA files it names, are checked for a
 * change (modification time, size, inode) at most once a second, when a request or a TLS
 * handshake comes, and at once on {@link #reloadNow()} (SIGHUP). A changed set is read again:
 * new passwords and headers apply to the next request, new key material to the next
 * handshake, with no restart. Whether the port speaks TLS at all is fixed at start.
 *
 * <p>A file that becomes invalid fails closed: every request gets 500 until it is fixed (TLS
 * keeps the last good key so that the 500 can be delivered), since serving on with the old
 * users would keep a revoked password working.
 */
public final class WebSecurity {
    private static final Logger LOG = LoggerFactory.getLogger(WebSecurity.class);
    static final long CHECK_NANOS = 1_000_000_000L;
    private static final Page.Reply UNAUTHORIZED = Page.Reply.text(401, "Unauthorized\n");
    private static final Page.Reply BROKEN =
            Page.Reply.text(500, "Internal Server Error: the web configuration file cannot be used, see the log\n");

    private final Path file;
    private final LongSupplier monotonicNanos;
    private final boolean tls;
    private final BasicAuth auth = new BasicAuth();

    /** What requests use now: a config, or the error that replaced it. */
    private record State(WebConfig config, String error, List<Object> stamps) {}

    private volatile State state;
    private volatile TlsMaterial material; // last good key material (TLS only)
    private volatile TlsSettings tlsSettings; // last good TLS settings (TLS only)
    private final ReentrantLock checking = new ReentrantLock();
    private long lastCheckNanos; // under checking

    private WebSecurity(Path file, LongSupplier monotonicNanos, State initial, TlsMaterial material) {
        this.file = file;
        this.monotonicNanos = monotonicNanos;
        this.state = initial;
        this.material = material;
        this.tlsSettings = initial.config().tls();
        this.tls = material != null;
        this.lastCheckNanos = monotonicNanos.getAsLong();
    }

    /** No file: plain HTTP, no authentication. */
    public static WebSecurity none() {
        return new WebSecurity(null, System::nanoTime, new State(WebConfig.NONE, null, List.of()), null);
    }

    /** Reads and checks the file and everything it names; throws what an operator must fix before start. */
    public static WebSecurity load(Path file, LongSupplier monotonicNanos) throws WebConfigException {
        Objects.requireNonNull(file, "file");
        WebConfig config = read(file);
        TlsMaterial material = config.tls() == null ? null : TlsMaterial.load(config.tls(), file.toString());
        return new WebSecurity(file, monotonicNanos, new State(config, null, stamps(file, config)), material);
    }

    /** Whether the server speaks TLS (fixed at start). */
    public boolean tls() {
        return tls;
    }

    /**
     * The SSL context of a TLS server: its key and trust managers read the current key material
     * at every handshake, so a rotated certificate needs no restart.
     */
    public SSLContext sslContext() throws IOException {
        if (!tls) {
            throw new IllegalStateException("no TLS in the web configuration");
        }
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(
                    new javax.net.ssl.KeyManager[] {new Reloading.KeyManager(this::material)},
                    new javax.net.ssl.TrustManager[] {new Reloading.TrustManager(this::material)},
                    null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The TLS parameters of a new connection, before its handshake, as the file says now. */
    public SSLParameters sslParameters(SSLContext ctx) {
        current();
        return sslParameters(ctx, tlsSettings);
    }

    /**
     * What a request gets before any page: the configured headers, and a refusal (500 while the
     * file is broken, 401 without good credentials) or null to go on.
     */
    public record Admission(Map<String, String> headers, Page.Reply refusal) {
        static final Admission PASS = new Admission(Map.of(), null);
    }

    /**
     * Admits a request by its Authorization header (null when it has none) if that needs no
     * bcrypt; null when it does, and then {@link #admit} must be called where a thread may
     * spend tens of milliseconds.
     */
    public Admission admitWithoutBcrypt(String authorization) {
        return admission(authorization, false);
    }

    /** Admits a request by its Authorization header (null when it has none), running bcrypt if it must. */
    public Admission admit(String authorization) {
        return admission(authorization, true);
    }

    private Admission admission(String authorization, boolean mayBcrypt) {
        if (file == null) {
            return Admission.PASS;
        }
        State s = current();
        if (s.error() != null) {
            return new Admission(Map.of(), BROKEN);
        }
        Map<String, String> headers = s.config().headers();
        Map<String, String> users = s.config().users();
        if (users.isEmpty()) {
            return new Admission(headers, null);
        }
        BasicAuth.Result result = mayBcrypt ? auth.check(users, authorization) : auth.cached(users, authorization);
        if (result == null) {
            return null;
        }
        if (result == BasicAuth.Result.ALLOWED) {
            return new Admission(headers, null);
        }
        Map<String, String> withChallenge = new java.util.HashMap<>(headers);
        withChallenge.put("WWW-Authenticate", "Basic");
        return new Admission(withChallenge, UNAUTHORIZED);
    }

    /** Checks the files now (SIGHUP), instead of at the next request after a second. */
    public void reloadNow() {
        if (file != null) {
            check(true);
        }
    }

    TlsMaterial material() {
        current();
        return material;
    }

    int cachedCredentials() {
        return auth.cacheSize();
    }

    private State current() {
        if (file != null) {
            check(false);
        }
        return state;
    }

    private void check(boolean force) {
        // The selector calls this: while another thread reads the files, it serves the state
        // it has rather than wait for them (a reload by SIGHUP waits its turn).
        if (force) {
            checking.lock();
        } else if (!checking.tryLock()) {
            return;
        }
        try {
            checkLocked(force);
        } finally {
            checking.unlock();
        }
    }

    private void checkLocked(boolean force) {
        long now = monotonicNanos.getAsLong();
        if (!force && now - lastCheckNanos < CHECK_NANOS) {
            return;
        }
        lastCheckNanos = now;
        State old = state;
        List<Object> stamps = stamps(file, old.config());
        if (!force && stamps.equals(old.stamps())) {
            return;
        }
        try {
            WebConfig config = read(file);
            stamps = stamps(file, config); // the new file may name other files
            if (tls && config.tls() != null) {
                material = TlsMaterial.load(config.tls(), file.toString());
                tlsSettings = config.tls();
            } else if (tls != (config.tls() != null)) {
                LOG.warn(
                        "web config {}: turning TLS {} needs a restart; until then the port stays {}",
                        file,
                        tls ? "off" : "on",
                        tls ? "TLS" : "plain HTTP");
            }
            state = new State(config, null, stamps);
            if (old.error() != null || force || !stamps.equals(old.stamps())) {
                LOG.info(
                        "web config {} (re)loaded: {} user(s), TLS {}",
                        file,
                        config.users().size(),
                        tls ? "on" : "off");
            }
        } catch (WebConfigException e) {
            if (!e.getMessage().equals(old.error())) {
                LOG.error("{}; answering 500 until it is fixed", e.getMessage());
            }
            // Keep the stamps of the broken files so the error is not re-read every second.
            state = new State(old.config(), e.getMessage(), stamps);
        }
    }

    private static WebConfig read(Path file) throws WebConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new WebConfigException("web config " + file + ": no such file");
        } catch (IOException e) {
            throw new WebConfigException("web config " + file + ": cannot read: " + e.getMessage(), e);
        }
        return WebConfigParser.parse(file, text);
    }

    /** What says a file changed: time, size and inode (a renamed-in replacement has a new one). */
    private static List<Object> stamps(Path file, WebConfig config) {
        List<Path> files = new ArrayList<>();
        files.add(file);
        if (config != null && config.tls() != null) {
            files.addAll(config.tls().files());
        }
        List<Object> out = new ArrayList<>(files.size());
        for (Path p : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                out.add(List.of(p.toString(), a.lastModifiedTime().toMillis(), a.size(), String.valueOf(a.fileKey())));
            } catch (IOException e) {
                out.add(List.of(p.toString(), "unreadable"));
            }
        }
        return out;
    }

    static SSLParameters sslParameters(SSLContext ctx, TlsSettings t) {
        SSLParameters p = ctx.getDefaultSSLParameters();
        List<String> protocols = new ArrayList<>();
        for (String v : List.of("TLSv1.3", "TLSv1.2")) {
            if (v.compareTo(t.minVersion()) >= 0 && (t.maxVersion() == null || v.compareTo(t.maxVersion()) <= 0)) {
                protocols.add(v);
            }
        }
        p.setProtocols(protocols.toArray(new String[0]));
        if (!t.cipherSuites().isEmpty()) {
            // As in Go, the list limits TLS 1.2 only: TLS 1.3's suites stay the runtime's.
            List<String> suites = new ArrayList<>(t.cipherSuites());
            for (String s : p.getCipherSuites()) {
                if (s.startsWith("TLS_AES_") || s.startsWith("TLS_CHACHA20_")) {
                    suites.add(s);
                }
            }
            p.setCipherSuites(suites.toArray(new String[0]));
        }
        p.setUseCipherSuitesOrder(t.preferServerCipherSuites());
        ClientAuth a = t.clientAuth();
        if (a.required) {
            p.setNeedClientAuth(true);
        } else {
            p.setWantClientAuth(a.requested);
        }
        return p;
    }
}
