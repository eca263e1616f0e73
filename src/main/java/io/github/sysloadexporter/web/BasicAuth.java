package io.github.sysloadexporter.web;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks HTTP basic credentials against bcrypt hashes. bcrypt is slow on purpose (cost 10 is
 * tens of milliseconds), so results are cached, keyed by a digest of user, hash and password,
 * as exporter-toolkit does: a scrape every second then costs one hash lookup, and a changed
 * hash or password in the file misses the cache by itself. The key is a digest so that no
 * password is kept in memory.
 *
 * <p>Under a flood of wrong passwords: successes and failures are cached apart, each bounded
 * and each evicting only its own kind, so no failure can push out the scraper's success; and
 * a cached answer ({@link #cached}) takes no lock that a bcrypt holds. Where bcrypt runs, and
 * how many at once, is the server's choice ({@link WebServer}).
 */
final class BasicAuth {
    /** Distinct good credentials remembered: users times the passwords they use, in practice a few. */
    static final int SUCCESSES = 64;
    /** Distinct wrong credentials remembered, so that one repeated wrong password costs one bcrypt. */
    static final int FAILURES = 256;

    enum Result {
        ALLOWED,
        DENIED
    }

    /** What a header asks to be checked: user, password and the cache key of both with the hash. */
    private record Claim(String user, String password, String hash, String key) {}

    private final Lru successes;
    private final Lru failures;
    private volatile byte[] decoyHash;

    BasicAuth() {
        this(SUCCESSES, FAILURES);
    }

    /** With caches of these sizes: a test fills them with a few bcrypts, not hundreds. */
    BasicAuth(int successes, int failures) {
        this.successes = new Lru(successes);
        this.failures = new Lru(failures);
    }

    /**
     * The answer for the Authorization header (null when absent) if it needs no bcrypt: a
     * malformed header or a remembered credential; null when only {@link #check} can tell.
     */
    Result cached(Map<String, String> users, String authorization) {
        Claim claim = claim(users, authorization);
        if (claim == null) {
            return Result.DENIED;
        }
        if (successes.contains(claim.key())) {
            return Result.ALLOWED;
        }
        return failures.contains(claim.key()) ? Result.DENIED : null;
    }

    /** The answer for the Authorization header, running bcrypt (tens of milliseconds) if it must. */
    Result check(Map<String, String> users, String authorization) {
        Result known = cached(users, authorization);
        if (known != null) {
            return known;
        }
        Claim claim = claim(users, authorization);
        boolean ok;
        if (claim.hash() == null) {
            // An unknown user costs a bcrypt too, so timing does not tell which users exist.
            verify(claim.password(), decoy());
            ok = false;
        } else {
            ok = verify(claim.password(), claim.hash().getBytes(StandardCharsets.US_ASCII));
        }
        (ok ? successes : failures).add(claim.key());
        return ok ? Result.ALLOWED : Result.DENIED;
    }

    private static Claim claim(Map<String, String> users, String authorization) {
        if (authorization == null
                || authorization.length() < 6
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        String hash = users.get(user);
        return new Claim(user, password, hash, digest(user, hash == null ? "" : hash, password));
    }

    int cacheSize() {
        return successes.size() + failures.size();
    }

    int cachedSuccesses() {
        return successes.size();
    }

    /** A bounded set that forgets its least recently used key; held only for a lookup or an insert. */
    private static final class Lru {
        private final Map<String, Boolean> map;

        Lru(int limit) {
            map = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > limit;
                }
            };
        }

        synchronized boolean contains(String key) {
            return map.get(key) != null;
        }

        synchronized void add(String key) {
            map.put(key, Boolean.TRUE);
        }

        synchronized int size() {
            return map.size();
        }
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
