package io.github.sysloadexporter.sysload;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Logs each kind of problem once, then at most once per interval however often it recurs
 * (with how many times it was not logged), and once when it is over: a source that fails
 * every second must not fill the journal. Driven by the sampler's clock; not thread-safe.
 */
final class ProblemLog {
    private final Logger log;
    private final long intervalNanos;
    private final Map<String, Kind> kinds = new HashMap<>();

    private static final class Kind {
        long lastLoggedNanos;
        boolean logged;
        boolean active;
        long notLogged;
    }

    ProblemLog(Logger log, long intervalNanos) {
        this.log = log;
        this.intervalNanos = intervalNanos;
    }

    /** One occurrence of the problem {@code kind}, at {@code nowNanos}. */
    void problem(String kind, long nowNanos, String message) {
        Kind k = kinds.computeIfAbsent(kind, x -> new Kind());
        k.active = true;
        if (!k.logged || nowNanos - k.lastLoggedNanos >= intervalNanos) {
            if (k.notLogged > 0) {
                log.warn("{} ({} more times since the last report)", message, k.notLogged);
            } else {
                log.warn(message);
            }
            k.logged = true;
            k.lastLoggedNanos = nowNanos;
            k.notLogged = 0;
        } else {
            k.notLogged++;
            log.debug(message);
        }
    }

    /** The problem {@code kind} is over; says so once if it was going on. */
    void over(String kind, String message) {
        Kind k = kinds.get(kind);
        if (k != null && k.active) {
            k.active = false;
            log.info(message);
        }
    }
}
