package io.github.sysloadexporter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The credential cache under a flood of wrong passwords (cost 4 hashes: the test is about the cache). */
class BasicAuthTest {
    static final Map<String, String> USERS = Map.of(
            "prometheus",
            new String(
                    BCrypt.withDefaults().hash(4, "s3cret".getBytes(StandardCharsets.UTF_8)),
                    StandardCharsets.US_ASCII));

    static String header(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Caches of 4 successes and 8 failures: as the daemon's, filled with a few bcrypts. */
    @Test
    void wrongPasswordsNeverEvictTheCachedSuccess() {
        int failures = 8;
        BasicAuth auth = new BasicAuth(4, failures);
        assertNull(auth.cached(USERS, header("prometheus", "s3cret")), "not known before a bcrypt");
        assertEquals(BasicAuth.Result.ALLOWED, auth.check(USERS, header("prometheus", "s3cret")));
        assertEquals(BasicAuth.Result.ALLOWED, auth.cached(USERS, header("prometheus", "s3cret")));
        assertEquals(1, auth.cachedSuccesses());
        for (int i = 0; i < 2 * failures; i++) {
            assertEquals(BasicAuth.Result.DENIED, auth.check(USERS, header("prometheus", "wrong" + i)));
        }
        assertEquals(1, auth.cachedSuccesses());
        assertEquals(1 + failures, auth.cacheSize(), "failures are bounded by their own limit");
        // the most recent failures are the ones remembered
        assertEquals(BasicAuth.Result.DENIED, auth.cached(USERS, header("prometheus", "wrong" + (2 * failures - 1))));
        assertNull(auth.cached(USERS, header("prometheus", "wrong0")), "the oldest failure is forgotten");
        assertEquals(BasicAuth.Result.ALLOWED, auth.cached(USERS, header("prometheus", "s3cret")));
    }

    @Test
    void malformedHeadersAreDeniedWithoutABcrypt() {
        BasicAuth auth = new BasicAuth();
        for (String h : new String[] {null, "", "Basic", "Bearer x", "Basic !!!", "Basic " + base64("nocolon")}) {
            assertEquals(BasicAuth.Result.DENIED, auth.cached(USERS, h), String.valueOf(h));
        }
        assertEquals(0, auth.cacheSize());
        // An unknown user is denied (after a decoy bcrypt) and remembered as a failure.
        assertEquals(BasicAuth.Result.DENIED, auth.check(USERS, header("nobody", "s3cret")));
        assertEquals(0, auth.cachedSuccesses());
        assertEquals(1, auth.cacheSize());
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
