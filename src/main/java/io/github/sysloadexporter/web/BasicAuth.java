package io.github.sysloadexporter.web;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Checks HTTP basic credentials against bcrypt hashes. bcrypt is slow on purpose (cost 10 is
 * tens of milliseconds), so results are cached, keyed by a digest of user, hash and password,
 * as exporter-toolkit does: a scrape every second then costs one hash lookup, and a changed
 * hash or password in the file misses the cache by itself. The key is a digest so that no
 * password is kept in memory.
 *
 * <p>Under a flood of wrong passwords: successes and failures are cached apart, each bounded
 * and each evicting only its own kind, so no failure can push out the scraper's success; a
 * cached answer takes no lock that a bcrypt holds; and bcrypt runs on at most half the CPUs
 * (one of two) at once, each check waiting its turn in order for at most {@link #WAIT_MILLIS},
 * after which the request gets 503 rather than a thread held for longer.
 */
final class BasicAuth {
    /** Distinct good credentials remembered: users times the passwords they use, in practice a few. */
    static final int SUCCESSES = 64;
    /** Distinct wrong credentials remembered, so that one repeated wrong password costs one bcrypt. */
    static final int FAILURES = 256;

    static final long WAIT_MILLIS = 2000;

    enum Result {
        ALLOWED,
        DENIED,
        /** every bcrypt slot stayed taken for {@link #WAIT_MILLIS}: try again */
        BUSY
    }

    private final Lru successes = new Lru(SUCCESSES);
    private final Lru failures = new Lru(FAILURES);
    private final Semaphore bcryptSlots =
            new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), true);
    private volatile byte[] decoyHash;

    /** The Authorization header (null when absent) checked against {@code users}. */
    Result check(Map<String, String> users, String authorization) {
        if (authorization == null
                || authorization.length() < 6
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Result.DENIED;
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Result.DENIED;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Result.DENIED;
        }
        return check(users, decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    Result check(Map<String, String> users, String user, String password) {
        String hash = users.get(user);
        String key = digest(user, hash == null ? "" : hash, password);
        if (successes.contains(key)) {
            return Result.ALLOWED;
        }
        if (failures.contains(key)) {
            return Result.DENIED;
        }
        boolean ok;
        try {
            if (!bcryptSlots.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                return Result.BUSY;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.BUSY;
        }
        try {
            if (hash == null) {
                // An unknown user costs a bcrypt too, so timing does not tell which users exist.
                verify(password, decoy());
                ok = false;
            } else {
                ok = verify(password, hash.getBytes(StandardCharsets.US_ASCII));
            }
        } finally {
            bcryptSlots.release();
        }
        (ok ? successes : failures).add(key);
        return ok ? Result.ALLOWED : Result.DENIED;
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
