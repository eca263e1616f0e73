package io.github.sysloadexporter.web;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks HTTP basic credentials against bcrypt hashes. bcrypt is slow on purpose (cost 10 is
 * tens of milliseconds), so results are cached, keyed by a digest of user, hash and password,
 * as exporter-toolkit does: a scrape every second then costs one hash lookup, and a changed
 * hash or password in the file misses the cache by itself. The key is a digest so that no
 * password is kept in memory.
 */
final class BasicAuth {
    static final int CACHE_LIMIT = 256;

    private final Map<String, Boolean> cache = new ConcurrentHashMap<>();
    private final Object bcryptLock = new Object();
    private volatile byte[] decoyHash;

    /** The Authorization header checked against {@code users}. */
    boolean allowed(Map<String, String> users, String authorization) {
        if (authorization == null
                || authorization.length() < 6
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        return check(users, decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    boolean check(Map<String, String> users, String user, String password) {
        String hash = users.get(user);
        String key = digest(user, hash == null ? "" : hash, password);
        Boolean known = cache.get(key);
        if (known != null) {
            return known;
        }
        boolean ok;
        // One bcrypt at a time: a flood of wrong passwords costs one core, not all of them.
        synchronized (bcryptLock) {
            if (hash == null) {
                // An unknown user costs a bcrypt too, so timing does not tell which users exist.
                verify(password, decoy());
                ok = false;
            } else {
                ok = verify(password, hash.getBytes(StandardCharsets.US_ASCII));
            }
        }
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear(); // simple bound; a legitimate scraper is cached again on its next request
        }
        cache.put(key, ok);
        return ok;
    }

    int cacheSize() {
        return cache.size();
    }

    private static boolean verify(String password, byte[] hash) {
        try {
            return BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8), hash).verified;
        } catch (RuntimeException e) {
            return false; // an over-long password or a malformed hash never authenticates
        }
    }

    private byte[] decoy() {
        byte[] d = decoyHash;
        if (d == null) {
            d = BCrypt.withDefaults().hash(10, "no such user".getBytes(StandardCharsets.US_ASCII));
            decoyHash = d;
        }
        return d;
    }

    private static String digest(String user, String hash, String password) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String s : new String[] {user, hash, password}) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                // length-prefixed, so ("ab","c") and ("a","bc") differ
                md.update(new byte[] {
                    (byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8), (byte) b.length
                });
                md.update(b);
            }
            return Base64.getEncoder().encodeToString(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
